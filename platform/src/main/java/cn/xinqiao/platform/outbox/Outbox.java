package cn.xinqiao.platform.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.UUID;

/**
 * The only way a service announces a state change: the event row is written in the caller's
 * transaction, so it commits (or rolls back) with the change it describes. {@link OutboxRelay}
 * publishes it afterwards. Calling this outside a transaction is a programming error.
 */
@ApplicationScoped
public class Outbox {

    public static final String JSON = "application/json";

    @Inject
    ObjectMapper json;

    @Inject
    Event<OutboxWritten> written;

    /**
     * @param topic   versioned topic name, e.g. {@code screening.results.v1}
     * @param key     Kafka record key (orders one aggregate's or one student's events)
     * @param type    CloudEvents type, e.g. {@code cn.xinqiao.screening.result.v1}
     * @param subject CloudEvents subject: the aggregate id
     * @param data    the event body, serialised as JSON
     * @return the event id (ce_id)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID publish(String topic, String key, String type, String subject, Object data) {
        return publish(topic, key, type, subject, JSON, data);
    }

    /** As above, with a CloudEvents {@code datacontenttype} other than JSON (e.g. {@code application/fhir+json}). */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID publish(String topic, String key, String type, String subject, String contentType, Object data) {
        OutboxEvent event = new OutboxEvent();
        event.contentType = contentType;
        event.id = UUID.randomUUID();
        event.topic = topic;
        event.key = key;
        event.type = type;
        event.subject = subject;
        try {
            event.payload = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event body of type " + type + " is not serialisable", e);
        }
        event.persist();
        written.fire(new OutboxWritten(event.id));
        return event.id;
    }

    /** Fired in the writing transaction; the relay observes it after commit to publish at once. */
    public record OutboxWritten(UUID eventId) {
    }
}
