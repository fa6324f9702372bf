package cn.xinqiao.platform.outbox;

import cn.xinqiao.platform.trace.Traces;
import io.opentelemetry.api.trace.Span;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.net.URI;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Publishes outbox rows to Kafka. One batch is one database transaction: rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED} (so several replicas share the work), sent with the idempotent
 * {@code acks=all} producer, and stamped published only after the broker acknowledged every one.
 * A crash anywhere before the commit leaves the rows unpublished and they are sent again: Kafka
 * may then hold a duplicate, which consumers drop by {@code ce_id} (see the inbox).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private static final String CLAIM = """
            select id, topic, msg_key, type, subject, payload::text, created_at, content_type, traceparent
              from outbox
             where published_at is null
             order by seq
             limit ?
               for update skip locked""";

    private static final String MARK_PUBLISHED = "update outbox set published_at = now() where id = any(?)";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    @Channel("outbox")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
    Emitter<String> emitter;

    @Inject
    OutboxConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    Traces traces;

    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private Thread worker;
    private Counter published;

    /** What the relay hands to Kafka, and what a test may stand between. */
    @FunctionalInterface
    public interface BatchSender {
        /** Returns once the broker acknowledged every event, or throws. */
        void send(List<PendingEvent> batch) throws Exception;
    }

    public record PendingEvent(UUID id, String topic, String key, String type, String subject,
                               String payload, OffsetDateTime createdAt, String contentType, String traceparent) {
    }

    void start(@Observes StartupEvent ignored) {
        published = metrics.counter("xinqiao.outbox.published");
        if (!config.relayEnabled()) {
            LOG.info("outbox relay disabled in this process");
            return;
        }
        running = true;
        worker = new Thread(this::run, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        running = false;
        if (worker != null) {
            worker.interrupt();
            worker.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /** A commit in this process wakes the relay at once; other replicas find the row by polling. */
    void onCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.OutboxWritten ignored) {
        wakeUp.release();
    }

    private void run() {
        long backoffMs = 0;
        while (running) {
            try {
                int sent = relayOnce();
                backoffMs = 0;
                if (sent < config.batchSize()) {
                    wakeUp.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                backoffMs = Math.min(Math.max(backoffMs * 2, 100), 5_000);
                LOG.warnf("outbox relay batch failed (%s); retrying in %d ms", e.toString(), backoffMs);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Publishes one batch through Kafka; returns how many events it published. */
    public int relayOnce() throws Exception {
        return relayOnce(this::sendToKafka);
    }

    /** Publishes one batch through {@code sender}; nothing is marked published unless it returns. */
    public int relayOnce(BatchSender sender) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<PendingEvent> batch = claim(connection);
                if (!batch.isEmpty()) {
                    sender.send(batch);
                    markPublished(connection, batch);
                }
                connection.commit();
                if (published != null) {
                    published.increment(batch.size());
                }
                return batch.size();
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** The sender the relay uses: to Kafka, returning after the broker acknowledged every event. */
    public BatchSender kafkaSender() {
        return this::sendToKafka;
    }

    /** Rows not yet published (for health checks, tests and the fault-injection suite). */
    public long pendingCount() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from outbox where published_at is null");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deletePublishedPastRetention() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "delete from outbox where published_at < now() - make_interval(secs => ?)")) {
            ps.setLong(1, config.retention().toSeconds());
            int deleted = ps.executeUpdate();
            if (deleted > 0) {
                LOG.infof("outbox: deleted %d published events past retention", deleted);
            }
        }
    }

    private List<PendingEvent> claim(Connection connection) throws SQLException {
        List<PendingEvent> batch = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(CLAIM)) {
            ps.setInt(1, config.batchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    batch.add(new PendingEvent(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class), rs.getString(8),
                            rs.getString(9)));
                }
            }
        }
        return batch;
    }

    private void markPublished(Connection connection, List<PendingEvent> batch) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(MARK_PUBLISHED)) {
            Array ids = connection.createArrayOf("uuid", batch.stream().map(PendingEvent::id).toArray());
            ps.setArray(1, ids);
            ps.executeUpdate();
        }
    }

    private void sendToKafka(List<PendingEvent> batch) throws Exception {
        URI source = URI.create(config.source());
        List<CompletableFuture<Void>> acks = new ArrayList<>(batch.size());
        for (PendingEvent event : batch) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            // the send is a producer span of the trace that wrote the event; its context travels as ce_traceparent
            Span send = traces.producer(event.topic() + " publish", event.traceparent());
            ack.whenComplete((ok, failure) -> send.end());
            var cloudEvent = OutgoingCloudEventMetadata.builder()
                    .withId(event.id().toString())
                    .withType(event.type())
                    .withSource(source)
                    .withSubject(event.subject())
                    .withTimestamp(event.createdAt().toZonedDateTime())
                    .withDataContentType(event.contentType());
            String traceparent = Traces.of(send);
            if (traceparent != null) {
                cloudEvent = cloudEvent.withExtension(Traces.EXTENSION, traceparent);
            }
            var record = OutgoingKafkaRecordMetadata.<String>builder()
                    .withTopic(event.topic())
                    .withKey(event.key())
                    .build();
            emitter.send(Message.of(event.payload(), Metadata.of(cloudEvent.build(), record),
                    () -> {
                        ack.complete(null);
                        return CompletableFuture.completedFuture(null);
                    },
                    failure -> {
                        ack.completeExceptionally(failure);
                        return CompletableFuture.completedFuture(null);
                    }));
            acks.add(ack);
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                .get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}
