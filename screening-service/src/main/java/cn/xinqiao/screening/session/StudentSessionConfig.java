package cn.xinqiao.screening.session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Student-session tokens and the access-code brute-force guard. */
@ConfigMapping(prefix = "xinqiao.student-session")
public interface StudentSessionConfig {

    String issuer();

    @WithDefault("PT2H")
    Duration lifetime();

    /** Base64 secret (at least 32 random bytes) that signs and verifies student tokens (HS256), shared by all replicas. */
    String secret();

    /** The secret before the last rotation: still verifies tokens it signed until they expire (at most {@link #lifetime()}). */
    Optional<String> previousSecret();

    Login login();

    interface Login {
        @WithDefault("30")
        int maxFailures();

        @WithDefault("PT10M")
        Duration window();

        @WithDefault("PT15M")
        Duration lockout();

        /**
         * Access-code reads each event loop has out at the database at once; logins arriving meanwhile wait for a
         * free one and go together as one read ({@code GroupRead}).
         */
        @WithDefault("2")
        int readsInFlight();

        /** The most access codes one read carries. */
        @WithDefault("64")
        int readBatch();
    }
}
