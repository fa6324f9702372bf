package cn.xinqiao.platform.outbox;

import cn.xinqiao.platform.testapp.NoteService;
import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The relay dies after half a batch reached Kafka and before it could mark anything published:
 * the next relay run sends the whole batch again, and the consumer still applies each event once.
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
@TestProfile(RelayCrashTest.ManualRelay.class)
class RelayCrashTest {

    public static class ManualRelay implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("xinqiao.outbox.relay-enabled", "false");
        }
    }

    @Inject
    NoteService notes;

    @Inject
    OutboxRelay relay;

    @Inject
    EntityManager em;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void eventsReachKafkaAndApplyOnceEvenWhenTheRelayDiesMidBatch() throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(notes.write("crash-" + i));
        }
        assertEquals(10, relay.pendingCount());

        assertThrows(IllegalStateException.class, () -> relay.relayOnce(batch -> {
            relay.kafkaSender().send(batch.subList(0, batch.size() / 2));
            throw new IllegalStateException("relay process killed mid-batch");
        }));
        assertEquals(10, relay.pendingCount(), "nothing is marked published when the relay dies");

        assertEquals(10, relay.relayOnce());
        assertEquals(0, relay.pendingCount());

        Set<String> keys = ids.stream().map(UUID::toString).collect(Collectors.toSet());
        List<ConsumerRecord<String, String>> onTopic = new KafkaProbe(bootstrap).readUntil(NoteService.TOPIC,
                Duration.ofSeconds(20), rs -> rs.stream().filter(r -> keys.contains(r.key())).count() >= 15);
        assertEquals(15, onTopic.stream().filter(r -> keys.contains(r.key())).count(),
                "5 events were sent twice: the broker holds duplicates, consumers must not");

        OutboxAndInboxTest.awaitTrue(() -> appliedCount(ids) == 10, "all ten applied");
        for (UUID id : ids) {
            Number times = (Number) em.createNativeQuery("select times from note_seen where note_id = ?1")
                    .setParameter(1, id).getSingleResult();
            assertEquals(1, times.intValue(), "note " + id + " applied exactly once");
        }
    }

    private long appliedCount(List<UUID> ids) {
        return ((Number) em.createNativeQuery("select count(*) from note_seen where note_id = any(cast(?1 as uuid[]))")
                .setParameter(1, ids.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}")))
                .getSingleResult()).longValue();
    }
}
