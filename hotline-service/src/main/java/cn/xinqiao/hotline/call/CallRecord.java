package cn.xinqiao.hotline.call;

import cn.xinqiao.hotline.domain.RiskScreen;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One hotline call, saved as the operator types; closed once, then immutable. */
@Entity
@Table(name = "call_record")
public class CallRecord extends PanacheEntityBase {
    @Id
    public UUID id;
    public String hotline;
    public String operator;
    @Enumerated(EnumType.STRING)
    public CallStatus status;
    @Column(name = "started_at")
    public OffsetDateTime startedAt;
    @Column(name = "ended_at")
    public OffsetDateTime endedAt;
    @Column(name = "duration_seconds")
    public Integer durationSeconds;
    public String channel;
    @Column(name = "caller_type")
    public String callerType;
    @Column(name = "caller_key")
    public String callerKey;
    public boolean identified;
    @Column(name = "school_id")
    public String schoolId;
    @Column(name = "student_number")
    public String studentNumber;
    @Column(name = "district_code")
    public String districtCode;
    @Column(name = "age_band")
    public String ageBand;
    public String sex;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] categories = new String[0];
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "risk_answers")
    public RiskScreen.Answers riskAnswers;
    @Column(name = "risk_computed")
    public String riskComputed;
    @Column(name = "risk_level")
    public String riskLevel;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] actions = new String[0];
    public String notes;
    @Column(name = "follow_up_at")
    public OffsetDateTime followUpAt;
    /** The promised callback, once made: when, how it went (REACHED, NO_ANSWER, DECLINED), by whom, a note. */
    @Column(name = "callback_done_at")
    public OffsetDateTime callbackDoneAt;
    @Column(name = "callback_outcome")
    public String callbackOutcome;
    @Column(name = "callback_by")
    public String callbackBy;
    @Column(name = "callback_note")
    public String callbackNote;
    @Column(name = "referral_request_id")
    public UUID referralRequestId;
    @Version
    public int version;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    public boolean closed() {
        return status == CallStatus.CLOSED;
    }
}
