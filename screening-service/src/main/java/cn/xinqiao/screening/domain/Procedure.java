package cn.xinqiao.screening.domain;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A standard procedure (标准化处置流程): per risk level, the steps a case needs and how long after the case opened
 * each is due. Data, versioned per deployment ({@code procedures/*.json}), like instruments and the risk policy.
 *
 * @param bureauAfter how long an overdue step waits at the school admin before the county bureau is alerted too
 */
public record Procedure(String version, Duration bureauAfter, Map<RiskLevel, List<Step>> levels) {

    /** One step: {@code critical} steps must be done (or documented as an exception) before the case may close. */
    public record Step(String code, Instrument.Text title, Duration due, boolean critical) {
    }

    /** A step of one case with its deadline. */
    public record Scheduled(String code, OffsetDateTime dueAt, boolean critical) {
    }

    public Procedure {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("a procedure has a version");
        }
        if (bureauAfter == null || bureauAfter.isNegative() || bureauAfter.isZero()) {
            throw new IllegalArgumentException("bureauAfter must be positive");
        }
        for (Map.Entry<RiskLevel, List<Step>> level : levels.entrySet()) {
            Set<String> codes = level.getValue().stream().map(Step::code).collect(Collectors.toSet());
            if (codes.size() != level.getValue().size()) {
                throw new IllegalArgumentException("step codes repeat in " + level.getKey());
            }
            for (Step s : level.getValue()) {
                if (s.due() == null || s.due().isNegative()) {
                    throw new IllegalArgumentException("step " + s.code() + " has no deadline");
                }
            }
        }
        levels = Map.copyOf(levels);
    }

    public List<Step> steps(RiskLevel level) {
        return levels.getOrDefault(level, List.of());
    }

    /** The steps a case of this level opened at {@code openedAt} needs, each with its deadline. */
    public List<Scheduled> schedule(RiskLevel level, OffsetDateTime openedAt) {
        return steps(level).stream().map(s -> new Scheduled(s.code(), openedAt.plus(s.due()), s.critical())).toList();
    }

    /**
     * A case raised from {@code from} to {@code to} at {@code raisedAt}: the steps of the new level it does not have
     * yet, due from the raise (a step it already has keeps its deadline, or its record if done).
     */
    public List<Scheduled> raise(RiskLevel to, Set<String> existing, OffsetDateTime raisedAt) {
        List<Scheduled> added = new ArrayList<>();
        for (Step s : steps(to)) {
            if (!existing.contains(s.code())) {
                added.add(new Scheduled(s.code(), raisedAt.plus(s.due()), s.critical()));
            }
        }
        return added;
    }

    /** Who must hear of an overdue step now: nobody yet, the school admin, or the county bureau as well. */
    public enum Escalation { NONE, SCHOOL_ADMIN, BUREAU }

    /** How far an open step at {@code dueAt} has escalated by {@code now}; a done step never escalates. */
    public Escalation escalation(OffsetDateTime dueAt, boolean done, OffsetDateTime now) {
        if (done || now.isBefore(dueAt)) {
            return Escalation.NONE;
        }
        return now.isBefore(dueAt.plus(bureauAfter)) ? Escalation.SCHOOL_ADMIN : Escalation.BUREAU;
    }
}
