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

/** referral.status.v1 → the risk queue shows what the hospital did, at once. */
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

    @Incoming("referral-status")
    @Blocking
    public CompletionStage<Void> on(Message<String> message) {
        return inbox.consume(message, ReferralStatus.class, (event, s) -> {
            List<FollowUps.Planned> plan = s.returnSummary() == null || s.returnSummary().followUpPlan() == null ? List.of()
                    : s.returnSummary().followUpPlan().stream().map(p -> new FollowUps.Planned(p.afterDays(), p.by())).toList();
            RiskQueueService.StatusUpdate update = new RiskQueueService.StatusUpdate(s.referralId(), s.requestIds(), s.hospitalId(),
                    s.status(), s.businessStatus(), s.occurredAt(), plan);
            if ("HOSPITAL_RETURN".equals(s.origin())) {
                returns.received(s.studentKey(), s.schoolId(), update);
            } else {
                queue.applyStatus(update);
            }
        });
    }
}
