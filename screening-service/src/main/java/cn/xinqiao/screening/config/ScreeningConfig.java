package cn.xinqiao.screening.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "xinqiao")
public interface ScreeningConfig {

    RiskPolicyConfig riskPolicy();

    StudentSession studentSession();

    Login login();

    /** ARCHITECTURE §6 default policy; a deployment may tighten it under a new version. */
    interface RiskPolicyConfig {
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

    interface StudentSession {
        String issuer();

        @WithDefault("PT2H")
        Duration lifetime();

        /** Base64 PKCS#8 RSA key that signs student tokens (shared by all replicas). */
        String privateKey();
    }

    interface Login {
        @WithDefault("30")
        int maxFailures();

        @WithDefault("PT10M")
        Duration window();

        @WithDefault("PT15M")
        Duration lockout();
    }
}
