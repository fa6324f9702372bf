package cn.xinqiao.referral.lifecycle;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One referral episode of one student: merged requests, the route, the lifecycle and its clocks. */
@Entity
@Table(name = "referral")
public class Referral extends PanacheEntityBase {

    /** A coded reason, as the request carried it, with where it came from. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Reason(String code, String instrumentId, Integer totalScore, String band, Boolean criticalItem,
                         String source, UUID requestId) {
    }

    @Id
    public UUID id;
    @Column(name = "student_key")
    public String studentKey;
    @Column(name = "school_id")
    public String schoolId;
    @Column(name = "district_code")
    public String districtCode;
    public Short grade;
    public String sex;
    @Column(name = "risk_level")
    public String riskLevel;
    @Column(name = "risk_rank")
    public short riskRank;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<Reason> reasons = new ArrayList<>();
    @Column(name = "hospital_id")
    public String hospitalId;
    @Column(name = "backup_hospital_id")
    public String backupHospitalId;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "hospitals_tried")
    public String[] hospitalsTried = new String[0];
    public String status;
    @Column(name = "business_status")
    public String businessStatus;
    public boolean open;
    @Column(name = "first_requested_at")
    public OffsetDateTime firstRequestedAt;
    @Column(name = "routed_at")
    public OffsetDateTime routedAt;
    @Column(name = "accepted_at")
    public OffsetDateTime acceptedAt;
    @Column(name = "appointment_at")
    public OffsetDateTime appointmentAt;
    @Column(name = "completed_at")
    public OffsetDateTime completedAt;
    @Column(name = "closed_at")
    public OffsetDateTime closedAt;
    @Column(name = "acknowledge_due_at")
    public OffsetDateTime acknowledgeDueAt;
    @Column(name = "visit_due_at")
    public OffsetDateTime visitDueAt;
    @Column(name = "acknowledge_escalated_at")
    public OffsetDateTime acknowledgeEscalatedAt;
    @Column(name = "visit_escalated_at")
    public OffsetDateTime visitEscalatedAt;
    @Column(name = "guardian_due_at")
    public OffsetDateTime guardianDueAt;
    @Column(name = "dispatch_kind")
    public String dispatchKind;
    @Column(name = "dispatch_hospital_id")
    public String dispatchHospitalId;
    @Column(name = "dispatch_attempts")
    public int dispatchAttempts;
    @Column(name = "dispatch_next_at")
    public OffsetDateTime dispatchNextAt;

    /** The W3C trace context of the work that owes the hospital its message, resumed when it is sent. */
    @Column(name = "dispatch_traceparent")
    public String dispatchTraceparent;
    @Column(name = "dispatched_at")
    public OffsetDateTime dispatchedAt;
    /** The identity sent to the hospital (name, sex, birth date, school, guardian contact); null until dispatched. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> patient;
    /** The hospital's latest feedback for the school. */
    public String feedback;
    /** What the hospital sent back on completing (双向转诊); null before. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "return_summary")
    public ReturnSummary returnSummary;
    @Column(name = "returned_at")
    public OffsetDateTime returnedAt;
    /** {@code GREEN_CHANNEL}, or {@code HOSPITAL_RETURN}: a discharge back to school without a referral from here. */
    public String origin = GREEN_CHANNEL;

    public static final String GREEN_CHANNEL = "GREEN_CHANNEL";
    public static final String HOSPITAL_RETURN = "HOSPITAL_RETURN";
    @Version
    public int version;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    public boolean triedHospital(String hospital) {
        return List.of(hospitalsTried).contains(hospital);
    }
}
