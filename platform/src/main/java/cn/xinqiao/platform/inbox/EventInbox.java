package cn.xinqiao.platform.inbox;

import cn.xinqiao.platform.trace.Traces;
import io.opentelemetry.api.trace.SpanKind;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
 * Use from a {@code @Blocking} {@code @Incoming} method that takes {@code Message<String>}, or, for a busy
 * channel in batch mode, {@code KafkaRecordBatch<String, String>} with {@link #consumeBatch}.
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

    @Inject
    Traces traces;

    public <T> CompletionStage<Void> consume(Message<String> message, Class<T> dataType, EventHandler<T> handler) {
        Decoded<T> decoded;
        try {
            decoded = decode(message, dataType);
        } catch (RejectedEvent e) {
            return reject(message, e);
        }
        return applyWithRetries(decoded, handler);
    }

    /**
     * The same contract for a channel in batch mode ({@code batch=true}): a poll's records are applied in one
     * transaction, in order, and acked one by one after it commits. If that transaction fails for any reason
     * (a record the handler rejects, a database failure), it is rolled back and the records are applied one at a
     * time exactly as {@link #consume} does: the good ones are applied, the rejected one is dead-lettered with its
     * reason, transient failures are retried. Records that cannot be decoded are dead-lettered before the batch.
     * One commit per poll instead of one per event is what lets a consumer keep up with a city-wide campaign.
     */
    public <T> CompletionStage<Void> consumeBatch(KafkaRecordBatch<?, String> batch, Class<T> dataType, EventHandler<T> handler) {
        return consumeBatch(batch, dataType, (BatchHandler<T>) events -> events.forEach(e -> {
            try (Traces.Active span = traces.start(e.event().topic() + " process", SpanKind.CONSUMER, e.event().traceparent())) {
                handler.apply(e.event(), e.data());
            }
        }));
    }

    /** As above, with a handler that applies the poll's new events together (set-based: a few statements per poll). */
    public <T> CompletionStage<Void> consumeBatch(KafkaRecordBatch<?, String> batch, Class<T> dataType, BatchHandler<T> handler) {
        List<CompletionStage<Void>> outcomes = new ArrayList<>();
        List<Decoded<T>> ready = new ArrayList<>();
        for (KafkaRecord<?, String> record : batch.getRecords()) {
            try {
                ready.add(decode(record, dataType));
            } catch (RejectedEvent e) {
                outcomes.add(reject(record, e));
            }
        }
        if (!ready.isEmpty()) {
            boolean committed;
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    Set<UUID> firstSeen = firstTime(ready.stream().map(Decoded::event).toList());
                    List<BatchHandler.Received<T>> fresh = new ArrayList<>();
                    for (Decoded<T> d : ready) {
                        if (firstSeen.remove(d.event().id())) { // a second copy inside the same poll is a duplicate too
                            fresh.add(new BatchHandler.Received<>(d.event(), d.data()));
                        }
                    }
                    if (!fresh.isEmpty()) {
                        handler.applyAll(fresh);
                    }
                });
                committed = true;
            } catch (RuntimeException e) {
                LOG.infof("a batch of %d events failed together (%s); applying them one at a time", ready.size(),
                        e.getClass().getSimpleName());
                committed = false;
            }
            EventHandler<T> one = (event, data) -> handler.applyAll(List.of(new BatchHandler.Received<>(event, data)));
            for (Decoded<T> d : ready) {
                outcomes.add(committed ? d.message().ack() : applyWithRetries(d, one));
            }
        }
        return CompletableFuture.allOf(outcomes.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new));
    }

    private record Decoded<T>(Message<String> message, IncomingEvent event, T data) {
    }

    private <T> Decoded<T> decode(Message<String> message, Class<T> dataType) {
        return new Decoded<>(message, envelope(message), decoder.data(message.getPayload(), dataType));
    }

    private <T> CompletionStage<Void> applyWithRetries(Decoded<T> d, EventHandler<T> handler) {
        long backoff = config.firstBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                boolean applied = QuarkusTransaction.requiringNew().call(() -> applyOnce(d.event(), d.data(), handler));
                if (!applied) {
                    LOG.debugf("event %s already processed; skipped", d.event().id());
                }
                return d.message().ack();
            } catch (RejectedEvent e) {
                return reject(d.message(), e);
            } catch (RuntimeException e) {
                if (attempt >= config.maxAttempts()) {
                    return reject(d.message(), new RejectedEvent("gave up after " + attempt + " attempts: " + e.getClass().getSimpleName()));
                }
                LOG.warnf("event %s (%s) attempt %d failed: %s; retrying in %d ms", d.event().id(), d.event().type(), attempt,
                        e.getClass().getSimpleName(), backoff);
                sleep(backoff);
                backoff = Math.min(backoff * 2, config.maxBackoff().toMillis());
            }
        }
    }

    /** Applies a new event inside a consumer span of its trace: what the handler writes to its outbox carries it on. */
    private <T> boolean applyOnce(IncomingEvent event, T data, EventHandler<T> handler) {
        if (!firstTime(event)) {
            return false;
        }
        try (Traces.Active span = traces.start(event.topic() + " process", SpanKind.CONSUMER, event.traceparent())) {
            try {
                handler.apply(event, data);
            } catch (RuntimeException e) {
                span.failed(e);
                throw e;
            }
        }
        return true;
    }

    /** Records a poll's event ids in one statement; returns those not recorded before. */
    private Set<UUID> firstTime(List<IncomingEvent> events) {
        StringBuilder sql = new StringBuilder("insert into inbox (event_id, topic, type) values ");
        for (int i = 0; i < events.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?)");
        }
        sql.append(" on conflict do nothing returning event_id");
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
                int p = 1;
                for (IncomingEvent event : events) {
                    insert.setObject(p++, event.id());
                    insert.setString(p++, event.topic());
                    insert.setString(p++, event.type());
                }
                Set<UUID> inserted = new HashSet<>();
                try (ResultSet rows = insert.executeQuery()) {
                    while (rows.next()) {
                        inserted.add(rows.getObject(1, UUID.class));
                    }
                }
                return inserted;
            }
        });
    }

    /** Records the event id; false when it was recorded before (a duplicate: apply nothing). */
    private boolean firstTime(IncomingEvent event) {
        return firstTime(List.of(event)).contains(event.id());
    }

    /**
     * Dead-letters a record once. The record's place in the log (topic, partition, offset) is its id here: before the
     * dead-letter send it is noted as {@code dead-letter-pending}, after the dead-letter topic has it as
     * {@code dead-letter-sent}. The same record delivered again (a rebalance before its offset was committed) is acked
     * once the first send is confirmed; if the first delivery's send never completes (the process died), the later
     * delivery sends it after {@code xinqiao.inbox.dead-letter-take-over}, so a dead letter is neither repeated nor lost. A record
     * without a place (not from Kafka) is simply nacked.
     */
    private CompletionStage<Void> reject(Message<String> message, RejectedEvent reason) {
        Optional<IncomingKafkaRecordMetadata> record = message.getMetadata(IncomingKafkaRecordMetadata.class);
        if (record.isEmpty()) {
            LOG.warnf("event rejected: %s", reason.getMessage());
            return message.nack(reason);
        }
        UUID position = UUID.nameUUIDFromBytes(("dead-letter:" + record.get().getTopic() + ":" + record.get().getPartition() + ":"
                + record.get().getOffset()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (!claimDeadLetter(position, record.get().getTopic())) {
            LOG.debugf("a record dead-lettered before was delivered again; acked");
            return message.ack();
        }
        LOG.warnf("event rejected to the dead-letter topic: %s", reason.getMessage());
        // the nack completes on the event loop: the note is written on a worker thread (blocking JDBC)
        return message.nack(reason).thenRunAsync(() -> {
            try {
                QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update inbox set type = ?2 where event_id = ?1")
                        .setParameter(1, position).setParameter(2, DEAD_LETTER_SENT).executeUpdate());
            } catch (RuntimeException e) {
                // the dead-letter topic has it; a redelivery waits for the take-over time, then dead-letters it once more
                LOG.warnf("could not note a dead-lettered record: %s", e.getClass().getSimpleName());
            }
        }, io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool());
    }

    static final String DEAD_LETTER_PENDING = "dead-letter-pending";
    static final String DEAD_LETTER_SENT = "dead-letter-sent";

    /** True when this delivery is to send the dead letter: the first one, or one taking over a send that never finished. */
    private boolean claimDeadLetter(UUID position, String topic) {
        long deadline = System.currentTimeMillis() + config.deadLetterTakeOver().toMillis();
        while (true) {
            String state = QuarkusTransaction.requiringNew().call(() -> {
                int inserted = em.createNativeQuery("insert into inbox (event_id, topic, type) values (?1, ?2, ?3) on conflict do nothing")
                        .setParameter(1, position).setParameter(2, "dead-letter:" + topic).setParameter(3, DEAD_LETTER_PENDING).executeUpdate();
                return inserted == 1 ? null : (String) em.createNativeQuery("select type from inbox where event_id = ?1")
                        .setParameter(1, position).getSingleResult();
            });
            if (state == null) {
                return true;
            }
            if (!DEAD_LETTER_PENDING.equals(state)) {
                return false;
            }
            if (System.currentTimeMillis() > deadline) {
                LOG.warnf("a dead-letter send begun by an earlier delivery never finished; sending it now");
                return true;
            }
            sleep(200);
        }
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
                ce.getTimeStamp().orElse(null), topic, key == null ? null : key.toString(),
                ce.getExtension(Traces.EXTENSION).map(Object::toString).orElse(null));
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
