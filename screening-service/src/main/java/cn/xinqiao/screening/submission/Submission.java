package cn.xinqiao.screening.submission;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "submission")
public class Submission extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "campaign_id")
    public UUID campaignId;
    @Column(name = "student_id")
    public UUID studentId;
    @Column(name = "school_id")
    public String schoolId;
    @Column(name = "instrument_id")
    public String instrumentId;
    @Column(name = "instrument_version")
    public String instrumentVersion;
    @Enumerated(EnumType.STRING)
    public Mode mode;
    @Column(name = "client_submission_id")
    public String clientSubmissionId;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public Integer[] answers;
    @Column(name = "total_score")
    public int totalScore;
    public String band;
    @Column(name = "critical_item")
    public boolean criticalItem;
    @Column(name = "risk_level")
    public String riskLevel;
    public String rule;
    @Column(name = "policy_version")
    public String policyVersion;
    @Enumerated(EnumType.STRING)
    public SubmissionStatus status;
    @Column(name = "entered_by")
    public String enteredBy;
    @Column(name = "submitted_at")
    public OffsetDateTime submittedAt;
    /** KEEP / REPLACE on the conflicting submission a counsellor reviewed; REPLACED on the one it replaced. */
    public String resolution;
    @Column(name = "resolution_note")
    public String resolutionNote;
    @Column(name = "resolved_by")
    public String resolvedBy;
    @Column(name = "resolved_at")
    public OffsetDateTime resolvedAt;
}
