package cn.xinqiao.referral.erasure;

import cn.xinqiao.platform.inbox.EventInbox;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** {@code screening.erasures.v1} through the idempotent inbox: one student's referrals de-identified, their key destroyed. */
@ApplicationScoped
public class ErasureConsumer {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Erasure(@NotNull UUID erasureId, @NotNull @Pattern(regexp = "[A-Za-z0-9_-]{43}") String studentKey,
                          @NotNull @Pattern(regexp = "S[0-9]{9}") String schoolId, @NotNull OffsetDateTime erasedAt) {
    }

    @Inject
    EventInbox inbox;

    @Inject
    ReferralErasure erasure;

    @Incoming("erasures")
    @Blocking
    public CompletionStage<Void> on(Message<String> message) {
        return inbox.consume(message, Erasure.class, (event, e) -> erasure.erase(e.erasureId(), e.studentKey()));
    }
}
