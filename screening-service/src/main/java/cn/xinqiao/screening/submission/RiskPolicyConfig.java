package cn.xinqiao.screening.submission;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** ARCHITECTURE §6 default policy; a deployment may tighten it under a new version. */
@ConfigMapping(prefix = "xinqiao.risk-policy")
public interface RiskPolicyConfig {
    @WithDefault("2024.1")
    String version();

    @WithDefault("20")
    int phqHigh();

    @WithDefault("10")
    int phqModerate();

    @WithDefault("5")
    int phqLow();

    @WithDefault("15")
    int gadHigh();

    @WithDefault("10")
    int gadModerate();

    @WithDefault("5")
    int gadLow();
}
