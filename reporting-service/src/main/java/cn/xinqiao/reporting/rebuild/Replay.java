package cn.xinqiao.reporting.rebuild;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One rebuild's own Kafka consumer (a new group): every partition of the replayed topics from the beginning. */
final class Replay implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final Staging staging;
    private final RebuildRuns.Progress progress;

    Replay(String bootstrapServers, UUID id, Staging staging, RebuildRuns.Progress progress) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reporting-service-rebuild-" + id);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 32 * 1024 * 1024);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        this.consumer = new KafkaConsumer<>(props);
        this.staging = staging;
        this.progress = progress;
    }

    /** Assigns every partition of the replayed topics, from its beginning. */
    void fromBeginning() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : Staging.TOPICS.keySet()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos != null) {
                infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Stages everything up to the current end offsets (again under the read models' lock, for what arrived meanwhile). */
    void toEnd(Connection connection) throws Exception {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(30));
        progress.total = progress.read + remaining(end);
        while (!reached(end)) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                progress.read++;
                if (!staging.stage(record)) {
                    progress.rejected++;
                }
            }
            if (staging.pending() >= 20_000) {
                staging.flush(connection);
            }
            progress.maybeSave();
        }
        staging.flush(connection);
    }

    /** Commits the rebuild group's positions and returns them. */
    Map<TopicPartition, OffsetAndMetadata> commit() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        consumer.assignment().forEach(tp -> out.put(tp, new OffsetAndMetadata(consumer.position(tp))));
        consumer.commitSync(out);
        return out;
    }

    private long remaining(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().mapToLong(e -> e.getValue() - consumer.position(e.getKey())).sum();
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
