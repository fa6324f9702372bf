package cn.xinqiao.referral.intake;

import cn.xinqiao.referral.lifecycle.Referral;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A request that reached an episode; its id makes a re-sent request (new ce_id, same request) a no-op too. */
@Entity
@Table(name = "referral_request")
public class ReferralRequestRecord extends PanacheEntityBase {
    @Id
    @Column(name = "request_id")
    public UUID requestId;
    @Column(name = "referral_id")
    public UUID referralId;
    public String source;
    @Column(name = "source_ref")
    public UUID sourceRef;
    @Column(name = "risk_level")
    public String riskLevel;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<Referral.Reason> reasons;
    @Column(name = "campaign_id")
    public UUID campaignId;
    @Column(name = "requested_at")
    public OffsetDateTime requestedAt;
    @Column(name = "received_at")
    public OffsetDateTime receivedAt;
    /** The staff member whose action raised the request; null when a student's own answers did. */
    @Column(name = "requested_by")
    public String requestedBy;
}
