package cn.xinqiao.referral.lifecycle;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** The guardian was informed (when, how, by whom), or a documented exception says why not. */
@Entity
@Table(name = "guardian_notification")
public class GuardianNotification extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "referral_id")
    public UUID referralId;
    public String kind;
    @Column(name = "informed_at")
    public OffsetDateTime informedAt;
    public String method;
    @Column(name = "informed_by")
    public String informedBy;
    @Column(name = "exception_code")
    public String exceptionCode;
    public String note;
    @Column(name = "recorded_by")
    public String recordedBy;
    @Column(name = "recorded_at")
    public OffsetDateTime recordedAt;
}
