package cn.xinqiao.reporting.messaging;

import cn.xinqiao.platform.inbox.BatchHandler;
import cn.xinqiao.platform.inbox.EventInbox;
import cn.xinqiao.reporting.careloop.CareLoopProjection;
import cn.xinqiao.reporting.careloop.CaseworkEvent;
import cn.xinqiao.reporting.directory.CampaignEvent;
import cn.xinqiao.reporting.directory.DirectoryProjection;
import cn.xinqiao.reporting.directory.HospitalEvent;
import cn.xinqiao.reporting.directory.SchoolEvent;
import cn.xinqiao.reporting.hotline.HotlineCallEvent;
import cn.xinqiao.reporting.hotline.HotlineCallbackEvent;
import cn.xinqiao.reporting.hotline.HotlineProjection;
import cn.xinqiao.reporting.referral.ReferralProjection;
import cn.xinqiao.reporting.referral.ReferralStatusEvent;
import cn.xinqiao.reporting.screening.ScreeningProjection;
import cn.xinqiao.reporting.screening.ScreeningResultEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Every topic reporting reads, each through the idempotent inbox into its projection; the two busy ones in
 * batch mode (one transaction per poll, see {@link EventInbox#consumeBatch}). The channels are pausable: a
 * rebuild pauses them while it replays (see rebuild/Rebuild).
 */
@ApplicationScoped
public class EventConsumers {

    /** The live channels, in the order a rebuild pauses them. */
    public static final List<String> CHANNELS = List.of("schools", "campaigns", "hospitals", "results", "referral-status", "hotline-calls",
            "hotline-callbacks", "casework", "erasures");

    @Inject
    EventInbox inbox;

    @Inject
    DirectoryProjection directory;

    @Inject
    ScreeningProjection screening;

    @Inject
    ReferralProjection referrals;

    @Inject
    HotlineProjection hotline;

    @Inject
    CareLoopProjection careLoop;

    @Inject
    cn.xinqiao.reporting.screening.ScreeningErasure erasure;

    /** What reporting reads of an erasure: the key (hashed at once) and when. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    public record Erasure(@jakarta.validation.constraints.NotBlank @jakarta.validation.constraints.Size(max = 64) String studentKey,
                          @jakarta.validation.constraints.NotNull java.time.OffsetDateTime erasedAt) {
    }

    @Incoming("erasures")
    @Blocking
    public CompletionStage<Void> onErasure(Message<String> message) {
        return inbox.consume(message, Erasure.class, (event, e) -> erasure.erase(e.studentKey(), e.erasedAt()));
    }

    @Incoming("schools")
    @Blocking
    public CompletionStage<Void> onSchool(Message<String> message) {
        return inbox.consume(message, SchoolEvent.class, (event, school) -> directory.apply(school));
    }

    @Incoming("campaigns")
    @Blocking
    public CompletionStage<Void> onCampaign(Message<String> message) {
        return inbox.consume(message, CampaignEvent.class, (event, campaign) -> directory.apply(campaign));
    }

    @Incoming("hospitals")
    @Blocking
    public CompletionStage<Void> onHospital(Message<String> message) {
        return inbox.consume(message, HospitalEvent.class, (event, hospital) -> directory.apply(hospital));
    }

    /** The busiest topic (every submission of a city-wide campaign, one partition per campaign): in batches. */
    @Incoming("results")
    @Blocking
    public CompletionStage<Void> onResults(KafkaRecordBatch<String, String> batch) {
        return inbox.consumeBatch(batch, ScreeningResultEvent.class,
                (BatchHandler<ScreeningResultEvent>) events -> screening.applyAll(events.stream().map(BatchHandler.Received::data).toList()));
    }

    @Incoming("referral-status")
    @Blocking
    public CompletionStage<Void> onReferralStatus(KafkaRecordBatch<String, String> batch) {
        return inbox.consumeBatch(batch, ReferralStatusEvent.class, referrals::apply);
    }

    @Incoming("casework")
    @Blocking
    public CompletionStage<Void> onCasework(KafkaRecordBatch<String, String> batch) {
        return inbox.consumeBatch(batch, CaseworkEvent.class, careLoop::apply);
    }

    @Incoming("hotline-callbacks")
    @Blocking
    public CompletionStage<Void> onCallback(Message<String> message) {
        return inbox.consume(message, HotlineCallbackEvent.class, (event, callback) -> hotline.apply(callback));
    }

    @Incoming("hotline-calls")
    @Blocking
    public CompletionStage<Void> onCall(Message<String> message) {
        return inbox.consume(message, HotlineCallEvent.class, (event, call) -> hotline.apply(call));
    }
}
