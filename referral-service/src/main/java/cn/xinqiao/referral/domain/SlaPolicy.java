package cn.xinqiao.referral.domain;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * How long a hospital has to acknowledge a referral and to see the student, per risk level, and how long the
 * school has to record the guardian notification. Deadlines are computed once and stored.
 */
public record SlaPolicy(Map<Risk, Duration> acknowledge, Map<Risk, Duration> firstVisit, Duration guardian) {

    public record Deadlines(OffsetDateTime acknowledgeBy, OffsetDateTime visitBy) {
    }

    public Deadlines deadlines(Risk risk, OffsetDateTime from) {
        return new Deadlines(from.plus(acknowledge.get(risk)), from.plus(firstVisit.get(risk)));
    }

    /**
     * A merge that raises the risk may only tighten the clocks, never relax them: the earlier of the
     * running deadline and the one the new level would set from now.
     */
    public Deadlines tighten(Deadlines running, Risk risk, OffsetDateTime now) {
        Deadlines fresh = deadlines(risk, now);
        return new Deadlines(earlier(running.acknowledgeBy(), fresh.acknowledgeBy()), earlier(running.visitBy(), fresh.visitBy()));
    }

    private static OffsetDateTime earlier(OffsetDateTime a, OffsetDateTime b) {
        return a.isBefore(b) ? a : b;
    }
}
