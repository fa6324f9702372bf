package cn.xinqiao.referral.sla;

import cn.xinqiao.referral.domain.Risk;
import cn.xinqiao.referral.domain.SlaPolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

/** {@code xinqiao.sla.*}: the green channel's clocks (issue 4 defaults). */
@ConfigMapping(prefix = "xinqiao.sla")
public interface SlaConfig {

    Level critical();

    Level high();

    Level moderate();

    /** A referral with neither a guardian notification nor a documented exception after this is overdue. */
    @WithDefault("PT24H")
    Duration guardian();

    /** How often the clocks are checked. */
    @WithDefault("30s")
    String checkEvery();

    interface Level {
        Duration acknowledge();

        Duration firstVisit();
    }

    default SlaPolicy policy() {
        return new SlaPolicy(
                Map.of(Risk.CRITICAL, critical().acknowledge(), Risk.HIGH, high().acknowledge(), Risk.MODERATE, moderate().acknowledge()),
                Map.of(Risk.CRITICAL, critical().firstVisit(), Risk.HIGH, high().firstVisit(), Risk.MODERATE, moderate().firstVisit()),
                guardian());
    }
}
