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
}
