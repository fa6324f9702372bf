package cn.xinqiao.referral.lifecycle;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One step of the lifecycle as it happened (including routing, merges and escalations by the system). */
@Entity
@Table(name = "referral_transition")
public class ReferralTransition extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "referral_id")
    public UUID referralId;
    public String step;
    @Column(name = "from_status")
    public String fromStatus;
    @Column(name = "to_status")
    public String toStatus;
    @Column(name = "business_status")
    public String businessStatus;
    @Column(name = "hospital_id")
    public String hospitalId;
    @Column(name = "reason_code")
    public String reasonCode;
    public String note;
    @Column(name = "appointment_at")
    public OffsetDateTime appointmentAt;
    public String escalation;
    public String actor;
    @Column(name = "actor_role")
    public String actorRole;
    @Column(name = "occurred_at")
    public OffsetDateTime occurredAt;
}
