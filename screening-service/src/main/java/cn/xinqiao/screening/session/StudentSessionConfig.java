package cn.xinqiao.screening.session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Student-session tokens and the access-code login's guard. */
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
        /** Failed logins a network may make in a window before it is locked out ({@link LoginGuard}). */
        @WithDefault("20")
        int failures();

        /** The most extra failures a network earns in a window by its students' logins (one each). */
        @WithDefault("100")
        int earnedMax();

        @WithDefault("PT15M")
        Duration window();

        @WithDefault("PT15M")
        Duration lockout();

        /** Wrong birth dates with one access code before the code locks (the school issues a new one). */
        @WithDefault("5")
        int codeAttempts();

        /** Failed logins city-wide in five minutes that may mean a guessing run ({@link LoginAlarm}) ... */
        @WithDefault("300")
        int spikeFailures();

        /** ... when they also outnumber this many times the successful ones. */
        @WithDefault("1.0")
        double spikeRatio();

        /** How often {@link LoginAlarm} looks ({@code off} in the tests, which call it). */
        @WithDefault("30s")
        String spikeEvery();

        /**
         * The proxies in front of this service whose {@code X-Forwarded-For} entries are believed (CIDR): the web BFF
         * and the ingress, never the client's own entries.
         */
        List<String> trustedHops();

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
