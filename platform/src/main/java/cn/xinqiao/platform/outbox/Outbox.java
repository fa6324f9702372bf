package cn.xinqiao.platform.outbox;

import cn.xinqiao.platform.id.Ids;
import cn.xinqiao.platform.trace.Traces;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
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

    @Inject
    EntityManager em;

    private static final String INSERT =
            "insert into outbox (id, topic, msg_key, type, subject, content_type, payload, traceparent) values (?, ?, ?, ?, ?, ?, cast(? as jsonb), ?)";

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
        return write(List.of(new Message(topic, key, type, subject, data)), contentType).get(0);
    }

    /**
     * One JSON event for {@link #publishAll}; the fields as for {@link #publish}, and the W3C trace context of the work
     * that caused it (the current one when the message is made, see {@link Traces}).
     */
    public record Message(String topic, String key, String type, String subject, Object data, String traceparent) {

        public Message(String topic, String key, String type, String subject, Object data) {
            this(topic, key, type, subject, data, Traces.current());
        }
    }

    /** Several JSON events in one round trip (a group commit's results), with the same guarantee as {@link #publish}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> publishAll(List<Message> messages) {
        return messages.isEmpty() ? List.of() : write(messages, JSON);
    }

    private List<UUID> write(List<Message> messages, String contentType) {
        List<UUID> ids = new ArrayList<>(messages.size());
        List<String> payloads = new ArrayList<>(messages.size());
        for (Message m : messages) {
            ids.add(Ids.timeOrdered());
            try {
                payloads.add(json.writeValueAsString(m.data()));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("event body of type " + m.type() + " is not serialisable", e);
            }
        }
        // Plain JDBC on the transaction's own connection: an event row needs no entity life cycle, and the ORM's
        // per-entity insert machinery was a fifth of a submission's CPU.
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (int i = 0; i < messages.size(); i++) {
                    Message m = messages.get(i);
                    insert.setObject(1, ids.get(i));
                    insert.setString(2, m.topic());
                    insert.setString(3, m.key());
                    insert.setString(4, m.type());
                    insert.setString(5, m.subject());
                    insert.setString(6, contentType);
                    insert.setString(7, payloads.get(i));
                    insert.setString(8, m.traceparent());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
        written.fire(new OutboxWritten(ids.get(ids.size() - 1)));
        return ids;
    }

    /** Fired in the writing transaction (once per write, with its last event); the relay observes it after commit to publish at once. */
    public record OutboxWritten(UUID eventId) {
    }
}
