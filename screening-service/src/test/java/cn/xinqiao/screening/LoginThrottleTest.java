package cn.xinqiao.screening;

import cn.xinqiao.screening.domain.AccessCodes;
import cn.xinqiao.screening.domain.LoginThrottle;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginThrottleTest {

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-09-01T08:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void locksOutAfterRepeatedFailuresThenReleases() {
        MutableClock clock = new MutableClock();
        LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(10), Duration.ofMinutes(15), clock);
        assertFalse(throttle.failed("10.0.0.1"));
        assertFalse(throttle.failed("10.0.0.1"));
        assertTrue(throttle.failed("10.0.0.1"));
        assertEquals(Duration.ofMinutes(15), throttle.retryAfter("10.0.0.1"));
        assertEquals(Duration.ZERO, throttle.retryAfter("10.0.0.2"), "another network is not affected");
        clock.now = clock.now.plus(Duration.ofMinutes(15));
        assertEquals(Duration.ZERO, throttle.retryAfter("10.0.0.1"));
    }

    @Test
    void failuresOutsideTheWindowAreForgotten() {
        MutableClock clock = new MutableClock();
        LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(10), Duration.ofMinutes(15), clock);
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        assertFalse(throttle.failed("10.0.0.1"));
        throttle.prune();
        assertEquals(Duration.ZERO, throttle.retryAfter("10.0.0.1"));
    }

    @Test
    void codesAreRandomUnambiguousAndTypedLeniently() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String code = AccessCodes.next();
            assertTrue(code.matches("[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}"), code);
            seen.add(code);
        }
        assertEquals(10_000, seen.size());
        assertEquals("ABCD2345", AccessCodes.normalise(" abcd-2345 "));
        assertNull(AccessCodes.normalise("ABCD-234O"), "O is never in a code");
        assertNull(AccessCodes.normalise("ABC"));
        assertEquals("ABCD-2345", AccessCodes.display("ABCD2345"));
    }
}
