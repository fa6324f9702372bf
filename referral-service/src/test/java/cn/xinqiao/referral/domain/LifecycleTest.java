package cn.xinqiao.referral.domain;

import cn.xinqiao.referral.domain.Lifecycle.Step;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifecycleTest {

    static final List<String> STATUSES = List.of(Lifecycle.REQUESTED, Lifecycle.ACCEPTED, Lifecycle.REJECTED,
            Lifecycle.IN_PROGRESS, Lifecycle.COMPLETED, Lifecycle.CANCELLED, Lifecycle.FAILED);

    /** The whole table, written out: every (status, step) pair that is legal; all others must be refused. */
    static final Set<String> LEGAL = Set.of(
            "requested→accepted", "requested→rejected", "requested→cancelled",
            "accepted→scheduled", "accepted→cancelled",
            "in-progress→scheduled", "in-progress→completed", "in-progress→no-show", "in-progress→cancelled");

    @Test
    void everyStatusAndStepPairIsLegalExactlyWhenTheTableSaysSo() {
        Set<String> legal = new TreeSet<>();
        for (String status : STATUSES) {
            for (Step step : Step.values()) {
                if (step.allowedFrom(status)) {
                    legal.add(status + "→" + step.wire);
                }
            }
        }
        assertEquals(new TreeSet<>(LEGAL), legal);
    }

    @Test
    void stepsMapToFhirTaskStatusesAndBusinessStatuses() {
        assertEquals(Map.of("accepted", "accepted/accepted", "rejected", "rejected/declined", "scheduled", "in-progress/scheduled",
                        "completed", "completed/seen", "no-show", "failed/no-show", "cancelled", "cancelled/cancelled"),
                java.util.Arrays.stream(Step.values()).collect(java.util.stream.Collectors.toMap(s -> s.wire,
                        s -> s.taskStatus + "/" + s.businessStatus)));
        assertTrue(Step.REJECTED.reasonRequired && Step.CANCELLED.reasonRequired && !Step.ACCEPTED.reasonRequired);
        assertTrue(Step.SCHEDULED.appointmentRequired && !Step.COMPLETED.appointmentRequired);
        assertTrue(Step.COMPLETED.closes() && Step.NO_SHOW.closes() && Step.REJECTED.closes() && Step.CANCELLED.closes());
        assertFalse(Step.ACCEPTED.closes() || Step.SCHEDULED.closes());
        assertTrue(Step.of("no-show").isPresent() && Step.of("NO_SHOW").isEmpty());
    }

    @Test
    void clocksFollowTheRiskLevelAndAMergeOnlyTightensThem() {
        SlaPolicy policy = new SlaPolicy(
                Map.of(Risk.CRITICAL, Duration.ofHours(1), Risk.HIGH, Duration.ofHours(24), Risk.MODERATE, Duration.ofDays(3)),
                Map.of(Risk.CRITICAL, Duration.ofHours(72), Risk.HIGH, Duration.ofDays(7), Risk.MODERATE, Duration.ofDays(14)),
                Duration.ofHours(24));
        OffsetDateTime t0 = OffsetDateTime.of(2026, 11, 22, 8, 0, 0, 0, ZoneOffset.UTC);
        SlaPolicy.Deadlines high = policy.deadlines(Risk.HIGH, t0);
        assertEquals(t0.plusHours(24), high.acknowledgeBy());
        assertEquals(t0.plusDays(7), high.visitBy());
        // HIGH becomes CRITICAL two hours later: acknowledge within the hour from now, visit within 72 h from now
        SlaPolicy.Deadlines raised = policy.tighten(high, Risk.CRITICAL, t0.plusHours(2));
        assertEquals(t0.plusHours(3), raised.acknowledgeBy());
        assertEquals(t0.plusHours(74), raised.visitBy());
        // a later, lower-risk merge never relaxes a running deadline
        SlaPolicy.Deadlines critical = policy.deadlines(Risk.CRITICAL, t0);
        assertEquals(critical, policy.tighten(critical, Risk.MODERATE, t0.plusMinutes(30)));
    }
}
