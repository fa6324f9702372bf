package cn.xinqiao.screening.riskqueue;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** One student's follow-up in one campaign (MODERATE and above), with the referral's state as the hospital reports it. */
@Entity
@Table(name = "risk_case")
public class RiskCase extends PanacheEntityBase {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reason(String code, String instrumentId, Integer totalScore, String band, Boolean criticalItem) {
    }

    @Id
    public UUID id;
    @Column(name = "campaign_id")
    public UUID campaignId;
    @Column(name = "student_id")
    public UUID studentId;
    @Column(name = "school_id")
    public String schoolId;
    @Column(name = "risk_level")
    public String riskLevel;
    @Column(name = "risk_rank")
    public short riskRank;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<Reason> reasons = new ArrayList<>();
    @Enumerated(EnumType.STRING)
    public CaseStatus status;
    @Enumerated(EnumType.STRING)
    public CaseSource source = CaseSource.SCREENING;
    @Column(name = "opened_by")
    public String openedBy;
    @Column(name = "procedure_version")
    public String procedureVersion;
    @Column(name = "referral_request_id")
    public UUID referralRequestId;
    @Column(name = "referral_id")
    public UUID referralId;
    @Column(name = "referral_status")
    public String referralStatus;
    @Column(name = "referral_business_status")
    public String referralBusinessStatus;
    @Column(name = "referral_hospital")
    public String referralHospital;
    @Column(name = "referral_updated_at")
    public OffsetDateTime referralUpdatedAt;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
