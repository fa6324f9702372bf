package cn.xinqiao.screening.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brute-force guard for access-code logins: a client (network address) that fails {@code maxFailures} times
 * within {@code window} is locked out for {@code lockout}. Whole classes log in from one school network, so
 * only failures count, never successes. Per replica, in memory: with N replicas an attacker gets at most N
 * times the budget, still far below what guessing a 31^8 code space needs.
 */
public final class LoginThrottle {

    private final int maxFailures;
    private final Duration window;
    private final Duration lockout;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final Map<String, Instant> lockedUntil = new ConcurrentHashMap<>();

    public LoginThrottle(int maxFailures, Duration window, Duration lockout, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.lockout = lockout;
        this.clock = clock;
    }

    /** How long the client must still wait, or {@link Duration#ZERO} if it may try. */
    public Duration retryAfter(String client) {
        Instant until = lockedUntil.get(client);
        if (until == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), until);
        if (left.isNegative() || left.isZero()) {
            lockedUntil.remove(client, until);
            return Duration.ZERO;
        }
        return left;
    }

    /** Records a failed attempt; returns true when this failure locked the client out. */
    public boolean failed(String client) {
        Instant now = clock.instant();
        Deque<Instant> recent = failures.computeIfAbsent(client, k -> new ArrayDeque<>());
        synchronized (recent) {
            recent.addLast(now);
            while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(window))) {
                recent.removeFirst();
            }
            if (recent.size() >= maxFailures) {
                recent.clear();
                lockedUntil.put(client, now.plus(lockout));
                return true;
            }
        }
        return false;
    }

    /** Drops bookkeeping older than the window (called periodically so memory stays bounded). */
    public void prune() {
        Instant horizon = clock.instant().minus(window);
        for (Iterator<Map.Entry<String, Deque<Instant>>> it = failures.entrySet().iterator(); it.hasNext(); ) {
            Deque<Instant> recent = it.next().getValue();
            synchronized (recent) {
                if (recent.isEmpty() || recent.peekLast().isBefore(horizon)) {
                    it.remove();
                }
            }
        }
        lockedUntil.entrySet().removeIf(e -> e.getValue().isBefore(clock.instant()));
    }
}
