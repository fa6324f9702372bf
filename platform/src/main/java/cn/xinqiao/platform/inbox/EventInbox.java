package cn.xinqiao.platform.inbox;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The idempotent consumer, the one way every service applies an event:
 * <ol>
 *   <li>the record must be a CloudEvent with a UUID {@code ce_id} and JSON data that maps onto the
 *       consumer's own class and passes its bean constraints, else it is rejected;</li>
 *   <li>in one transaction: insert {@code ce_id} into {@code inbox} (a duplicate stops here) and
 *       apply the handler's side effects;</li>
 *   <li>ack only after commit. Rejected events are nacked, which the channel's
 *       {@code failure-strategy=dead-letter-queue} turns into a dead-letter record with the reason;
 *       other failures are retried with backoff, then dead-lettered, never dropped.</li>
 * </ol>
 * Use from a {@code @Blocking} {@code @Incoming} method that takes {@code Message<String>}.
 */
@ApplicationScoped
public class EventInbox {

    private static final Logger LOG = Logger.getLogger(EventInbox.class);

    @Inject
    EventDecoder decoder;

    @Inject
    EntityManager em;

    @Inject
    InboxConfig config;

    public <T> CompletionStage<Void> consume(Message<String> message, Class<T> dataType, EventHandler<T> handler) {
        IncomingEvent event;
        T data;
        try {
            event = envelope(message);
            data = decoder.data(message.getPayload(), dataType);
        } catch (RejectedEvent e) {
            return reject(message, e);
        }
        long backoff = config.firstBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                boolean applied = QuarkusTransaction.requiringNew().call(() -> applyOnce(event, data, handler));
                if (!applied) {
                    LOG.debugf("event %s already processed; skipped", event.id());
                }
                return message.ack();
            } catch (RejectedEvent e) {
                return reject(message, e);
            } catch (RuntimeException e) {
                if (attempt >= config.maxAttempts()) {
                    return reject(message, new RejectedEvent("gave up after " + attempt + " attempts: " + e.getClass().getSimpleName()));
                }
                LOG.warnf("event %s (%s) attempt %d failed: %s; retrying in %d ms", event.id(), event.type(), attempt,
                        e.getClass().getSimpleName(), backoff);
                sleep(backoff);
                backoff = Math.min(backoff * 2, config.maxBackoff().toMillis());
            }
        }
    }

    private <T> boolean applyOnce(IncomingEvent event, T data, EventHandler<T> handler) {
        int inserted = em.createNativeQuery("insert into inbox (event_id, topic, type) values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, event.id())
                .setParameter(2, event.topic())
                .setParameter(3, event.type())
                .executeUpdate();
        if (inserted == 0) {
            return false;
        }
        handler.apply(event, data);
        return true;
    }

    private CompletionStage<Void> reject(Message<String> message, RejectedEvent reason) {
        LOG.warnf("event rejected to the dead-letter topic: %s", reason.getMessage());
        return message.nack(reason);
    }

    private IncomingEvent envelope(Message<String> message) {
        Optional<IncomingKafkaRecordMetadata> record = message.getMetadata(IncomingKafkaRecordMetadata.class);
        String topic = record.map(IncomingKafkaRecordMetadata::getTopic).orElse(null);
        Object key = record.map(IncomingKafkaRecordMetadata::getKey).orElse(null);
        @SuppressWarnings("unchecked")
        IncomingCloudEventMetadata<Object> ce = message.getMetadata(IncomingCloudEventMetadata.class)
                .orElseThrow(() -> new RejectedEvent("not a CloudEvent: no ce_id/ce_type headers"));
        return decoder.envelope(ce.getId(), ce.getType(), ce.getSubject().orElse(null),
                ce.getSource() == null ? null : ce.getSource().toString(),
                ce.getTimeStamp().orElse(null), topic, key == null ? null : key.toString());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying an event", e);
        }
    }
}
