package cn.xinqiao.reporting.rebuild;

import cn.xinqiao.reporting.messaging.EventConsumers;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The live consumers, held still while a rebuild replays and moved past what it applied afterwards. */
@ApplicationScoped
public class LiveChannels {

    private static final Logger LOG = Logger.getLogger(LiveChannels.class);

    @Inject
    ChannelRegistry channels;

    @Inject
    KafkaClientService kafkaClients;

    /** Pauses every live channel that runs; returns those it paused, to resume them later. */
    List<PausableChannel> pause() {
        List<PausableChannel> paused = new ArrayList<>();
        for (String name : EventConsumers.CHANNELS) {
            PausableChannel channel = channels.getPausable(name);
            if (channel != null && !channel.isPaused()) {
                channel.pause();
                paused.add(channel);
            }
        }
        return paused;
    }

    /**
     * The live consumers would otherwise re-read everything the rebuild has just applied (harmless: every read
     * model is keyed by its event's id, but slow): move them forward to where the rebuild stopped. Only ever
     * forward; a failure here costs time, never correctness.
     */
    void fastForward(Map<TopicPartition, OffsetAndMetadata> rebuilt) {
        for (String channel : EventConsumers.CHANNELS) {
            try {
                for (KafkaConsumer<Object, Object> live : kafkaClients.getConsumers(channel)) {
                    Map<TopicPartition, Long> positions = live.getPositions().await().atMost(Duration.ofSeconds(10));
                    for (Map.Entry<TopicPartition, Long> p : positions.entrySet()) {
                        OffsetAndMetadata target = rebuilt.get(p.getKey());
                        if (target != null && target.offset() > p.getValue()) {
                            live.seek(p.getKey(), target.offset()).await().atMost(Duration.ofSeconds(10));
                        }
                    }
                }
            } catch (RuntimeException e) {
                LOG.warnf("could not move live channel %s past the rebuilt offsets (%s); it will skip them as duplicates",
                        channel, e.getClass().getSimpleName());
            }
        }
    }
}
