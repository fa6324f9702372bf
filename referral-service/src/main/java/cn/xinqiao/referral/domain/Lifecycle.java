package cn.xinqiao.referral.domain;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The referral's lifecycle as FHIR {@code Task.status} with a BSeR/360X-style business status. Steps a user
 * may take, where each may start, and what it needs; anything else is an illegal transition (HTTP 409).
 *
 * <pre>
 * requested ──accepted──▶ accepted ──scheduled──▶ in-progress ──completed──▶ completed
 *     │                                  │  ▲ (re-scheduled)     └──no-show──▶ failed
 *     └──rejected (reason)──▶ rejected   └──┘
 * requested | accepted | in-progress ──cancelled (reason)──▶ cancelled
 * </pre>
 */
public final class Lifecycle {

    public static final String REQUESTED = "requested";
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    public static final String IN_PROGRESS = "in-progress";
    public static final String COMPLETED = "completed";
    public static final String CANCELLED = "cancelled";
    public static final String FAILED = "failed";

    public static final Set<String> OPEN = Set.of(REQUESTED, ACCEPTED, IN_PROGRESS);

    /** Who may take a step: the receiving hospital, the referring school, or either. */
    public enum Party { HOSPITAL, SCHOOL, EITHER }

    public enum Step {
        ACCEPTED("accepted", Lifecycle.ACCEPTED, "accepted", Set.of(Lifecycle.REQUESTED), Party.HOSPITAL, false, false),
        REJECTED("rejected", Lifecycle.REJECTED, "declined", Set.of(Lifecycle.REQUESTED), Party.HOSPITAL, true, false),
        SCHEDULED("scheduled", Lifecycle.IN_PROGRESS, "scheduled", Set.of(Lifecycle.ACCEPTED, Lifecycle.IN_PROGRESS), Party.HOSPITAL, false, true),
        COMPLETED("completed", Lifecycle.COMPLETED, "seen", Set.of(Lifecycle.IN_PROGRESS), Party.HOSPITAL, false, false),
        NO_SHOW("no-show", Lifecycle.FAILED, "no-show", Set.of(Lifecycle.IN_PROGRESS), Party.HOSPITAL, false, false),
        CANCELLED("cancelled", Lifecycle.CANCELLED, "cancelled", Set.of(Lifecycle.REQUESTED, Lifecycle.ACCEPTED, Lifecycle.IN_PROGRESS), Party.EITHER, true, false);

        public final String wire;
        public final String taskStatus;
        public final String businessStatus;
        public final Set<String> from;
        public final Party party;
        public final boolean reasonRequired;
        public final boolean appointmentRequired;

        Step(String wire, String taskStatus, String businessStatus, Set<String> from, Party party,
             boolean reasonRequired, boolean appointmentRequired) {
            this.wire = wire;
            this.taskStatus = taskStatus;
            this.businessStatus = businessStatus;
            this.from = from;
            this.party = party;
            this.reasonRequired = reasonRequired;
            this.appointmentRequired = appointmentRequired;
        }

        public static Optional<Step> of(String wire) {
            return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
        }

        public boolean allowedFrom(String status) {
            return from.contains(status);
        }

        public boolean closes() {
            return !OPEN.contains(taskStatus);
        }
    }

    private Lifecycle() {
    }
}
