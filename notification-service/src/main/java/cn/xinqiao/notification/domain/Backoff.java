package cn.xinqiao.notification.domain;

import java.time.Duration;

/** Retries on one channel: attempt n waits first × 2^(n-1) after a transient failure; after {@code attempts} the next channel. */
public record Backoff(int attempts, Duration first) {

    /** The wait before attempt {@code next} (2, 3, …), or empty when the channel has had its attempts. */
    public java.util.Optional<Duration> before(int next) {
        if (next > attempts) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(first.multipliedBy(1L << Math.min(20, next - 2)));
    }
}
