package cn.xinqiao.bench;

import cn.xinqiao.stack.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static cn.xinqiao.bench.StackApi.JSON;

/** What the benchmarks watch on Kafka: the hospitals' topics (when a critical student's message arrives) and consumer lag. */
final class KafkaWatch {

    private KafkaWatch() {
    }

    static void listen(String bootstrap, Map<String, Long> criticalSentAt, List<Long> latencies, AtomicBoolean listening) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String hospital : List.of("H370800001", "H370800002")) {
                consumer.partitionsFor(Topics.hospitalTopic(hospital)).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (listening.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    long now = System.nanoTime();
                    String key = studentKey(record.value());
                    if (key != null) {
                        Long sent = criticalSentAt.get(key);
                        if (sent != null && seen.add(key)) {
                            latencies.add((now - sent) / 1000);
                        }
                    }
                }
            }
        }
    }

    /** The student-key identifier of the FHIR message's Patient (the hospital's way back to the school). */
    static String studentKey(String fhir) {
        try {
            for (JsonNode identifier : JSON.readTree(fhir).findParents("system")) {
                if (identifier.path("system").asText().endsWith("/student-key") && identifier.has("value")) {
                    return identifier.path("value").asText();
                }
            }
        } catch (Exception e) {
            // not a FHIR message we can read: not counted
        }
        return null;
    }

    /**
     * Lag of every consumer group of the platform that has members (committed offset to the end of each partition);
     * groups nobody consumes in any more (a finished rebuild's, a test's) would never drain and are left out.
     */
    static Map<String, Long> lag(String bootstrap) throws Exception {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (GroupListing group : admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get()) {
                if (group.groupState().map(org.apache.kafka.common.GroupState.EMPTY::equals).orElse(false)) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                long lag = 0;
                for (var e : committed.entrySet()) {
                    if (e.getValue() != null) {
                        lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
                    }
                }
                out.put(group.groupId(), lag);
            }
        }
        return out;
    }
}
