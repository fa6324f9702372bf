package cn.xinqiao.screening.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Student-session tokens and the access-code brute-force guard. */
@ConfigMapping(prefix = "xinqiao.student-session")
public interface StudentSessionConfig {

    String issuer();

    @WithDefault("PT2H")
    Duration lifetime();

    /** Base64 PKCS#8 RSA key that signs student tokens (shared by all replicas). */
    String privateKey();

    /** Base64 X.509 public half; the {@code student} OIDC tenant verifies with it. */
    String publicKey();

    Login login();

    interface Login {
        @WithDefault("30")
        int maxFailures();

        @WithDefault("PT10M")
        Duration window();

        @WithDefault("PT15M")
        Duration lockout();
    }
}
