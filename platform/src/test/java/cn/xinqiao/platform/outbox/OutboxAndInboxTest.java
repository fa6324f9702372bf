package cn.xinqiao.platform.outbox;

import cn.xinqiao.platform.testapp.NoteService;
import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbox relay (running in the background) and the idempotent consumer over real Kafka and PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class OutboxAndInboxTest {

    @Inject
    NoteService notes;

    @Inject
    EntityManager em;

    @Inject
    cn.xinqiao.platform.inbox.InboxPruner pruner;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void eventWrittenWithStateChangeReachesKafkaAsCloudEventAndIsAppliedOnce() {
        UUID id = notes.write("hello");

        List<ConsumerRecord<String, String>> records = new KafkaProbe(bootstrap).readUntil(NoteService.TOPIC,
                Duration.ofSeconds(20), rs -> rs.stream().anyMatch(r -> id.toString().equals(r.key())));
        ConsumerRecord<String, String> record = records.stream().filter(r -> id.toString().equals(r.key())).findFirst().orElseThrow();
        assertEquals("1.0", KafkaProbe.header(record, "ce_specversion"));
        assertEquals(NoteService.TYPE, KafkaProbe.header(record, "ce_type"));
        assertEquals(id.toString(), KafkaProbe.header(record, "ce_subject"));
        assertEquals("/xinqiao/platform-test", KafkaProbe.header(record, "ce_source"));
        UUID eventId = UUID.fromString(KafkaProbe.header(record, "ce_id"));
        assertTrue(record.value().replace(" ", "").contains("\"text\":\"hello\""), record.value());

        awaitTrue(() -> timesSeen(id) == 1, "consumer applied the note");
        assertEquals(1L, count("select count(*) from inbox where event_id = '" + eventId + "'"));
        assertEquals(0L, count("select count(*) from outbox where id = '" + eventId + "' and published_at is null"));
    }

    @Test
    void theInboxForgetsEventIdsPastItsRetentionInShortBatches() throws Exception {
        UUID old = UUID.randomUUID(), older = UUID.randomUUID(), recent = UUID.randomUUID(), lastMonth = UUID.randomUUID();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            for (Object[] row : new Object[][]{{old, 36}, {older, 400}, {recent, 0}, {lastMonth, 34}}) {
                em.createNativeQuery("insert into inbox (event_id, topic, type, processed_at) values (?1, 't', 'x', now() - make_interval(days => ?2))")
                        .setParameter(1, row[0]).setParameter(2, row[1]).executeUpdate();
            }
        });
        assertTrue(pruner.prune() >= 2);
        for (UUID gone : List.of(old, older)) {
            assertEquals(0L, count("select count(*) from inbox where event_id = '" + gone + "'"), "past the 35 days kept");
        }
        for (UUID kept : List.of(recent, lastMonth)) {
            assertEquals(1L, count("select count(*) from inbox where event_id = '" + kept + "'"), "within the 35 days kept");
        }
        assertEquals(0L, pruner.prune(), "nothing left to forget");
    }

    @Test
    void rolledBackTransactionPublishesNothing() {
        long outboxBefore = count("select count(*) from outbox");
        assertThrows(IllegalStateException.class, () -> notes.writeThenFail("never"));
        assertEquals(outboxBefore, count("select count(*) from outbox"), "no outbox row survives a rollback");
        assertEquals(0L, count("select count(*) from note where text = 'never'"));

        // A later event is published; the rolled-back one never appears before or after it.
        UUID marker = notes.write("after-rollback");
        List<ConsumerRecord<String, String>> records = new KafkaProbe(bootstrap).readUntil(NoteService.TOPIC,
                Duration.ofSeconds(20), rs -> rs.stream().anyMatch(r -> marker.toString().equals(r.key())));
        assertTrue(records.stream().anyMatch(r -> marker.toString().equals(r.key())));
        assertTrue(records.stream().noneMatch(r -> r.value().contains("\"never\"")));
    }

    @Test
    void duplicateDeliveryIsAppliedOnce() {
        UUID noteId = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        String data = "{\"noteId\":\"" + noteId + "\",\"text\":\"twice\"}";
        KafkaProbe probe = new KafkaProbe(bootstrap);
        probe.sendCloudEvent(NoteService.TOPIC, noteId.toString(), eventId, NoteService.TYPE, data);
        probe.sendCloudEvent(NoteService.TOPIC, noteId.toString(), eventId, NoteService.TYPE, data);
        UUID laterNote = UUID.randomUUID();
        probe.sendCloudEvent(NoteService.TOPIC, noteId.toString(), UUID.randomUUID(), NoteService.TYPE,
                "{\"noteId\":\"" + laterNote + "\",\"text\":\"later\"}");

        // Same key, same partition: once the later event is applied, both copies were consumed.
        awaitTrue(() -> timesSeen(laterNote) == 1, "later event applied");
        assertEquals(1, timesSeen(noteId), "the duplicate changed nothing");
    }

    @Test
    void malformedEventsLandInTheDeadLetterTopicWithTheirReason() {
        KafkaProbe probe = new KafkaProbe(bootstrap);
        String key = "poison-" + UUID.randomUUID();
        probe.sendCloudEvent(NoteService.TOPIC, key, UUID.randomUUID(), NoteService.TYPE, "{not json");
        probe.sendCloudEvent(NoteService.TOPIC, key, UUID.randomUUID(), NoteService.TYPE, "{\"text\":\"no id\"}");
        probe.send(NoteService.TOPIC, key, "{\"noteId\":\"" + UUID.randomUUID() + "\",\"text\":\"x\"}", java.util.Map.of());

        List<String> reasons = deadLetterReasons(NoteService.TOPIC, key, 3);
        assertEquals(3, reasons.size(), "all three poison records dead-lettered: " + reasons);
        assertTrue(reasons.get(0).contains("malformed JSON"), reasons.get(0));
        assertTrue(reasons.get(1).contains("noteId"), reasons.get(1));
        assertTrue(reasons.get(2).contains("not a CloudEvent"), reasons.get(2));
    }

    /**
     * A delivery whose dead-letter send never finished (its process died: the record is noted pending and nothing
     * follows) is taken over by the next delivery after the take-over time: the dead letter is sent once, not lost.
     */
    @Test
    void aDeadLetterSendThatNeverFinishedIsTakenOverOnce() {
        String key = "orphan-" + UUID.randomUUID();
        long next;
        int p;
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(java.util.Map.of("bootstrap.servers", bootstrap,
                "key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName(),
                "value.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName()))) {
            int partitions = consumer.partitionsFor(NoteService.TOPIC).size();
            // the producer's default partitioner for a keyed record: where the record will land, hence its offset
            p = org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                    key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
            org.apache.kafka.common.TopicPartition partition = new org.apache.kafka.common.TopicPartition(NoteService.TOPIC, p);
            next = consumer.endOffsets(List.of(partition)).get(partition);
        }
        UUID position = UUID.nameUUIDFromBytes(("dead-letter:" + NoteService.TOPIC + ":" + p + ":" + next).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "insert into inbox (event_id, topic, type) values (?1, 'dead-letter:test', 'dead-letter-pending')").setParameter(1, position).executeUpdate());
        new KafkaProbe(bootstrap).sendCloudEvent(NoteService.TOPIC, key, UUID.randomUUID(), NoteService.TYPE, "{still not json");
        assertEquals(1, deadLetterReasons(NoteService.TOPIC, key, 1).size(), "sent by the delivery that took over");
        assertEquals(1, new KafkaProbe(bootstrap).readFor(NoteService.TOPIC + ".dlq", Duration.ofSeconds(3)).stream()
                .filter(r -> key.equals(r.key())).count(), "and only once");
        awaitTrue(() -> count("select count(*) from inbox where event_id = '" + position + "' and type = 'dead-letter-sent'") == 1,
                "the take-over noted its send");
    }

    /**
     * Batch mode: a poll's records go through one transaction; a duplicate inside the batch is applied once; a
     * record that cannot be decoded and one the handler rejects are dead-lettered with their reasons, and every
     * good record around them is still applied exactly once (the batch falls back to one record at a time).
     */
    @Test
    void aBatchAppliesEachEventOnceAndDeadLettersOnlyItsBadRecords() {
        String topic = "platform.notes-batch.v1";
        String key = "batch-" + UUID.randomUUID();
        KafkaProbe probe = new KafkaProbe(bootstrap);
        List<UUID> good = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            good.add(UUID.randomUUID());
        }
        UUID duplicated = good.get(0);
        UUID eventId = UUID.randomUUID();
        UUID refused = UUID.randomUUID();
        String first = "{\"noteId\":\"" + duplicated + "\",\"text\":\"first\"}";
        probe.sendCloudEvent(topic, key, eventId, NoteService.TYPE, first);
        probe.sendCloudEvent(topic, key, eventId, NoteService.TYPE, first);
        for (int i = 1; i < 20; i++) {
            probe.sendCloudEvent(topic, key, UUID.randomUUID(), NoteService.TYPE, "{\"noteId\":\"" + good.get(i) + "\",\"text\":\"n\"}");
        }
        probe.sendCloudEvent(topic, key, UUID.randomUUID(), NoteService.TYPE, "{not json");
        probe.sendCloudEvent(topic, key, UUID.randomUUID(), NoteService.TYPE, "{\"noteId\":\"" + refused + "\",\"text\":\"refuse\"}");
        for (int i = 20; i < good.size(); i++) {
            probe.sendCloudEvent(topic, key, UUID.randomUUID(), NoteService.TYPE, "{\"noteId\":\"" + good.get(i) + "\",\"text\":\"n\"}");
        }

        UUID last = good.get(good.size() - 1);
        awaitTrue(() -> timesSeen("note_seen_batch", last) == 1, "the last event of the batch applied");
        for (UUID note : good) {
            assertEquals(1, timesSeen("note_seen_batch", note), "applied exactly once: " + note);
        }
        assertEquals(0, timesSeen("note_seen_batch", refused), "the refused note changed nothing");
        List<String> reasons = deadLetterReasons(topic, key, 2);
        assertEquals(2, reasons.size(), "exactly the two bad records dead-lettered: " + reasons);
        assertTrue(reasons.get(0).contains("malformed JSON"), reasons.get(0));
        assertTrue(reasons.get(1).contains("refused by its handler"), reasons.get(1));
    }

    /** The dead-letter reasons of the records with this key, in order, once at least {@code expected} arrived. */
    private List<String> deadLetterReasons(String topic, String key, int expected) {
        List<ConsumerRecord<String, String>> dead = new KafkaProbe(bootstrap).readUntil(topic + ".dlq",
                Duration.ofSeconds(30), rs -> rs.stream().filter(r -> key.equals(r.key())).count() >= expected);
        return dead.stream().filter(r -> key.equals(r.key())).map(r -> KafkaProbe.header(r, "dead-letter-reason")).toList();
    }

    private int timesSeen(UUID noteId) {
        return timesSeen("note_seen", noteId);
    }

    private int timesSeen(String table, UUID noteId) {
        List<?> rows = em.createNativeQuery("select times from " + table + " where note_id = ?1").setParameter(1, noteId).getResultList();
        return rows.isEmpty() ? 0 : ((Number) rows.get(0)).intValue();
    }

    private long count(String sql) {
        return ((Number) em.createNativeQuery(sql).getSingleResult()).longValue();
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out waiting: " + what);
    }
}
