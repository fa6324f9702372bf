package cn.xinqiao.screening.greenchannel;

import cn.xinqiao.platform.inbox.EventInbox;
import cn.xinqiao.screening.casework.FollowUps;
import cn.xinqiao.screening.riskqueue.RiskQueueService;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** referral.status.v1 → the risk queue shows what the hospital did, at once; which referrals are open ({@code referral_open}). */
@ApplicationScoped
public class ReferralStatusConsumer {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReferralStatus(@NotNull UUID referralId, List<UUID> requestIds, String hospitalId, @NotBlank String status,
                                 @NotBlank String businessStatus, @NotNull OffsetDateTime occurredAt, @Valid ReturnSummary returnSummary,
                                 @Pattern(regexp = "HOSPITAL_RETURN") String origin, @NotBlank String studentKey,
                                 @NotBlank String schoolId) {
    }

    /** The coded part of the hospital's return summary, on a completed referral: the follow-up plan is what the school needs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReturnSummary(List<String> accommodations, List<@Valid PlannedFollowUp> followUpPlan) {
    }

    public record PlannedFollowUp(@Min(1) @Max(365) int afterDays, @NotNull @Pattern(regexp = "SCHOOL|HOSPITAL") String by) {
    }

    @Inject
    EventInbox inbox;

    @Inject
    RiskQueueService queue;

    @Inject
    HospitalReturnCases returns;

    @Inject
    jakarta.persistence.EntityManager em;

    /** FHIR Task states after which nothing more goes to the hospital. */
    static final java.util.Set<String> CLOSED = java.util.Set.of("completed", "cancelled", "rejected", "failed", "entered-in-error");

    @Incoming("referral-status")
    @Blocking
    public CompletionStage<Void> on(Message<String> message) {
        return inbox.consume(message, ReferralStatus.class, (event, s) -> {
            List<FollowUps.Planned> plan = s.returnSummary() == null || s.returnSummary().followUpPlan() == null ? List.of()
                    : s.returnSummary().followUpPlan().stream().map(p -> new FollowUps.Planned(p.afterDays(), p.by())).toList();
            RiskQueueService.StatusUpdate update = new RiskQueueService.StatusUpdate(s.referralId(), s.requestIds(), s.hospitalId(),
                    s.status(), s.businessStatus(), s.occurredAt(), plan);
            em.createNativeQuery("""
                            insert into referral_open (referral_id, student_key, school_id, status, open, updated_at)
                            values (?1, ?2, ?3, ?4, ?5, ?6)
                            on conflict (referral_id) do update set status = excluded.status, open = excluded.open,
                                school_id = excluded.school_id, updated_at = excluded.updated_at
                            where referral_open.updated_at <= excluded.updated_at""")
                    .setParameter(1, s.referralId()).setParameter(2, s.studentKey()).setParameter(3, s.schoolId())
                    .setParameter(4, s.status()).setParameter(5, !"HOSPITAL_RETURN".equals(s.origin()) && !CLOSED.contains(s.status()))
                    .setParameter(6, s.occurredAt()).executeUpdate();
            if ("HOSPITAL_RETURN".equals(s.origin())) {
                returns.received(s.studentKey(), s.schoolId(), update);
            } else {
                queue.applyStatus(update);
            }
        });
    }
}
