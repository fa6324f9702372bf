package cn.xinqiao.platform.inbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "xinqiao.inbox")
public interface InboxConfig {

    /** Attempts for a failure that may pass (database restarting...) before the event is dead-lettered. */
    @WithDefault("20")
    int maxAttempts();

    @WithDefault("PT0.1S")
    Duration firstBackoff();

    @WithDefault("PT5S")
    Duration maxBackoff();

    /**
     * How long an applied event's id is kept. A redelivery (a rebalance before the offset was committed, a producer
     * retry) arrives within minutes; 35 days also covers a consumer stopped for a month. Never reset a consumer
     * group's offsets further back than this: older events would be applied again (a rebuild replays on its own).
     */
    @WithDefault("P35D")
    Duration retention();

    /**
     * How long a delivery of a record waits for an earlier delivery's dead-letter send to be confirmed before it sends
     * the dead letter itself (the earlier one's process having died mid-send).
     */
    @WithDefault("PT30S")
    Duration deadLetterTakeOver();

    /** Rows deleted per statement when pruning, so that no transaction holds many locks for long. */
    @WithDefault("10000")
    int pruneBatch();
}
