package cn.xinqiao.platform.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "xinqiao.outbox")
public interface OutboxConfig {

    /** Run the relay in this process (every replica may: rows are claimed with SKIP LOCKED). */
    @WithDefault("true")
    boolean relayEnabled();

    /** Most events claimed and published in one transaction. */
    @WithDefault("500")
    int batchSize();

    /** How long an idle relay waits before looking again (a commit in this process wakes it sooner). */
    @WithDefault("PT0.2S")
    Duration pollInterval();

    /** How long the relay waits for the broker to acknowledge a batch before giving up on it. */
    @WithDefault("PT30S")
    Duration sendTimeout();

    /** Published rows are kept this long (for audits and replays), then deleted. */
    @WithDefault("P7D")
    Duration retention();

    /** CloudEvents source of this service's events. */
    @WithDefault("/xinqiao/${quarkus.application.name}")
    String source();
}
