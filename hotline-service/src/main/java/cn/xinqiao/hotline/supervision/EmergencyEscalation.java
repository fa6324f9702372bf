package cn.xinqiao.hotline.supervision;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A CRITICAL call without an identified student: open until a supervisor closes it with what was done. */
@Entity
@Table(name = "emergency_escalation")
public class EmergencyEscalation extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "call_id")
    public UUID callId;
    public String hotline;
    @Column(name = "risk_level")
    public String riskLevel;
    @Column(name = "opened_at")
    public OffsetDateTime openedAt;
    @Column(name = "closed_at")
    public OffsetDateTime closedAt;
    @Column(name = "closed_by")
    public String closedBy;
    public String resolution;
    public String note;
}
