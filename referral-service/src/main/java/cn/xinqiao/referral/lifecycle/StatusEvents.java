package cn.xinqiao.referral.lifecycle;

import cn.xinqiao.platform.outbox.Outbox;
import cn.xinqiao.referral.intake.ReferralRequestRecord;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** {@code referral.status.v1}: every change of a referral, de-identified (student key, never a name or free text). */
@ApplicationScoped
public class StatusEvents {

    public static final String TOPIC = "referral.status.v1";
    public static final String TYPE = "cn.xinqiao.referral.status.v1";

    public enum Escalation { BACKUP_HOSPITAL, BUREAU_ALERT, NO_PARTNERSHIP }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(UUID referralId, List<UUID> requestIds, String studentKey, String schoolId, String districtCode,
                         String hospitalId, String riskLevel, String status, String businessStatus, String previousStatus,
                         String reasonCode, OffsetDateTime appointmentAt, Escalation escalation,
                         OffsetDateTime requestedAt, OffsetDateTime occurredAt, ReturnSummary returnSummary, String origin) {
    }

    @Inject
    Outbox outbox;

    /** The referral as it is now; {@code businessStatus} may differ from the stored one (merged, escalated). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(Referral r, String businessStatus, String previousStatus, String reasonCode, Escalation escalation,
                        OffsetDateTime occurredAt) {
        List<UUID> requestIds = ReferralRequestRecord.<ReferralRequestRecord>list("referralId = ?1 order by receivedAt", r.id)
                .stream().map(q -> q.requestId).limit(50).toList();
        outbox.publish(TOPIC, r.id.toString(), TYPE, r.id.toString(), new Status(r.id, requestIds, r.studentKey, r.schoolId,
                r.districtCode, r.hospitalId, r.riskLevel, r.status, businessStatus, previousStatus, reasonCode,
                r.appointmentAt, escalation, r.firstRequestedAt, occurredAt,
                "completed".equals(r.status) && r.returnSummary != null ? r.returnSummary.coded() : null,
                Referral.HOSPITAL_RETURN.equals(r.origin) ? r.origin : null));
    }
}
