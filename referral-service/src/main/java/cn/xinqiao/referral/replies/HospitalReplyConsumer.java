package cn.xinqiao.referral.replies;

import cn.xinqiao.platform.inbox.EventInbox;
import cn.xinqiao.platform.inbox.IncomingEvent;
import cn.xinqiao.platform.inbox.RejectedEvent;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.referral.domain.Lifecycle;
import cn.xinqiao.referral.fhir.FhirMessages;
import cn.xinqiao.referral.fhir.TaskReply;
import cn.xinqiao.referral.lifecycle.Referral;
import cn.xinqiao.referral.lifecycle.ReferralQueries;
import cn.xinqiao.referral.lifecycle.ReferralService;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code referral.hospital.<hospitalId>.replies.v1}: a hospital answers over Kafka with FHIR R4 {@code Task} updates,
 * each on its own topic (its principal may write that topic only). Applied through the idempotent inbox with the same
 * lifecycle rules as the REST path; the hospital is the topic's, and a Task for a referral addressed to another
 * hospital, a Task that is not valid FHIR R4, or a step the lifecycle refuses is dead-lettered with its reason and
 * changes nothing.
 */
@ApplicationScoped
public class HospitalReplyConsumer {

    public static final String TYPE = "cn.xinqiao.referral.task.v1";
    static final Pattern TOPIC = Pattern.compile("referral\\.hospital\\.(H[0-9]{9})\\.replies\\.v1");
    private static final Logger LOG = Logger.getLogger(HospitalReplyConsumer.class);

    @Inject
    EventInbox inbox;

    @Inject
    FhirMessages fhir;

    @Inject
    ReferralQueries queries;

    @Inject
    ReferralService referrals;

    public static String topic(String hospitalId) {
        return "referral.hospital." + hospitalId + ".replies.v1";
    }

    @Incoming("hospital-replies")
    @Blocking
    public CompletionStage<Void> on(Message<String> message) {
        return inbox.consume(message, JsonNode.class, this::apply);
    }

    void apply(IncomingEvent event, JsonNode data) {
        Matcher topic = TOPIC.matcher(event.topic() == null ? "" : event.topic());
        if (!topic.matches()) {
            throw new RejectedEvent("not a hospital replies topic");
        }
        String hospital = topic.group(1);
        if (!TYPE.equals(event.type())) {
            throw new RejectedEvent("ce_type must be " + TYPE);
        }
        if (!"Task".equals(data.path("resourceType").asText())) {
            throw new RejectedEvent("the data must be a FHIR R4 Task (resourceType Task)");
        }
        String json = data.toString();
        List<String> errors = fhir.errors(json);
        if (!errors.isEmpty()) {
            throw new RejectedEvent("not a valid FHIR R4 Task: " + errors.size() + " error(s) at "
                    + errors.stream().map(e -> e.contains(": ") ? e.substring(0, e.indexOf(": ")) : "?").distinct().limit(5).toList());
        }
        TaskReply reply;
        try {
            reply = TaskReply.from(fhir.parseTask(json));
        } catch (TaskReply.Invalid e) {
            throw new RejectedEvent(e.getMessage());
        }
        if (reply.ownerHospitalId() != null && !reply.ownerHospitalId().equals(hospital)) {
            throw new RejectedEvent("Task.owner names a hospital other than the topic's");
        }
        Referral r = queries.find(reply.referralId());
        if (r == null || !hospital.equals(r.hospitalId)) {
            // an unknown referral and another hospital's look the same: the topic learns nothing about either
            throw new RejectedEvent("no referral with this identifier is addressed to this topic's hospital");
        }
        if (r.status.equals(reply.step().taskStatus) && reply.step() != Lifecycle.Step.SCHEDULED) {
            LOG.debugf("a hospital reply repeats the referral's current status; nothing to do");
            return;
        }
        try {
            referrals.transition(r.id, new ReferralService.TransitionInput(reply.step().wire, reply.reason(), reply.appointmentAt(),
                            reply.note(), reply.returnSummary()), Lifecycle.Party.HOSPITAL,
                    new ReferralService.Actor("hospital:" + hospital, "hospital-system"), OffsetDateTime.now(ZoneOffset.UTC));
        } catch (Problem refused) {
            throw new RejectedEvent("the referral lifecycle refused the step '" + reply.step().wire + "': " + refused.type());
        }
    }
}
