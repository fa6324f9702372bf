package cn.xinqiao.referral.intake;

import cn.xinqiao.platform.inbox.EventInbox;
import cn.xinqiao.referral.intake.ReferralRequest;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** referral.requests.v1 → one open episode per student (create, or merge into the open one). */
@ApplicationScoped
public class ReferralRequestConsumer {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Request(@NotNull UUID requestId,
                          @NotNull @Pattern(regexp = "SCREENING|HOTLINE|COUNSELOR") String source,
                          @NotNull UUID sourceRef,
                          @NotNull @Pattern(regexp = "[A-Za-z0-9_-]{43}") String studentKey,
                          @NotNull @Pattern(regexp = "S[0-9]{9}") String schoolId,
                          @NotNull @Pattern(regexp = "[1-8][0-9]{5}") String districtCode,
                          @Min(1) @Max(12) Integer grade,
                          @Pattern(regexp = "MALE|FEMALE|UNKNOWN") String sex,
                          UUID campaignId,
                          @NotNull @Pattern(regexp = "MODERATE|HIGH|CRITICAL") String riskLevel,
                          @NotEmpty @Size(max = 20) List<@Valid @NotNull Reason> reasons,
                          @NotNull OffsetDateTime requestedAt,
                          @Pattern(regexp = "[A-Za-z0-9._@-]{1,64}") String requestedBy) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Reason(@NotNull @Pattern(regexp = "[A-Za-z0-9_.:-]{1,60}") String code, String instrumentId,
                         @Min(0) @Max(100) Integer totalScore, String band, Boolean criticalItem) {
    }

    @Inject
    EventInbox inbox;

    @Inject
    ReferralIntake intake;

    @Incoming("referral-requests")
    @Blocking
    public CompletionStage<Void> on(Message<String> message) {
        return inbox.consume(message, Request.class, (event, r) -> intake.intake(new ReferralRequest(r.requestId(),
                r.source(), r.sourceRef(), r.studentKey(), r.schoolId(), r.districtCode(), r.grade(), r.sex(), r.campaignId(),
                r.riskLevel(), r.reasons().stream().map(x -> new ReferralRequest.Reason(x.code(), x.instrumentId(),
                        x.totalScore(), x.band(), x.criticalItem())).toList(), r.requestedAt(), r.requestedBy()),
                OffsetDateTime.now(ZoneOffset.UTC)));
    }
}
