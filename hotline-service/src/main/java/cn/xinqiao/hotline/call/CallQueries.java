package cn.xinqiao.hotline.call;

import cn.xinqiao.hotline.domain.RiskScreen;
import cn.xinqiao.hotline.supervision.EmergencyEscalation;
import cn.xinqiao.platform.audit.AuditTrail;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * What hotline staff see. A supervisor sees every call of the hotline; an operator the calls they took and
 * those taken during a shift they are on. Notes and student identity appear only in the full view, and
 * every full view is audited. Earlier calls of the same caller show as summaries (risk, categories, actions).
 */
@ApplicationScoped
@Transactional
public class CallQueries {

    /** Who is asking: the hotline (area), the subject, whether a supervisor. */
    public record Viewer(String hotline, String subject, boolean supervisor) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(UUID id, CallStatus status, OffsetDateTime startedAt, OffsetDateTime endedAt, Integer durationSeconds,
                          String channel, String callerType, List<String> categories, String riskLevel, List<String> actions,
                          OffsetDateTime followUpAt, boolean repeatCaller, String operator, OffsetDateTime callbackDoneAt,
                          String callbackOutcome) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(UUID id, CallStatus status, int version, OffsetDateTime startedAt, OffsetDateTime endedAt,
                       long elapsedSeconds, String channel, String callerType, boolean callerKnown, boolean identified,
                       String schoolId, String studentNumber, String districtCode, String ageBand, String sex,
                       List<String> categories, RiskScreen.Answers riskAnswers, String riskComputed, String riskLevel,
                       List<String> actions, String notes, OffsetDateTime followUpAt, UUID referralRequestId,
                       String escalation, String operator, List<Summary> earlierCalls, OffsetDateTime callbackDoneAt,
                       String callbackOutcome, String callbackNote) {
    }

    private static final String VISIBLE = "c.hotline = :hotline and (:supervisor = true or c.operator = :me or exists ("
            + "select 1 from ShiftMember m, Shift s where m.shiftId = s.id and m.subject = :me and s.hotline = :hotline "
            + "and c.startedAt >= s.startsAt and c.startedAt < s.endsAt))";

    @Inject
    EntityManager em;

    @Inject
    AuditTrail audit;

    public boolean visible(CallRecord call, Viewer v) {
        return call != null && em.createQuery("select count(c) from CallRecord c where c.id = :id and " + VISIBLE, Long.class)
                .setParameter("id", call.id).setParameter("hotline", v.hotline()).setParameter("supervisor", v.supervisor())
                .setParameter("me", v.subject()).getSingleResult() > 0;
    }

    public List<Summary> list(Viewer v, CallStatus status, int limit) {
        var query = em.createQuery("select c from CallRecord c where " + VISIBLE
                        + (status == null ? "" : " and c.status = :status") + " order by c.startedAt desc", CallRecord.class)
                .setParameter("hotline", v.hotline()).setParameter("supervisor", v.supervisor()).setParameter("me", v.subject());
        if (status != null) {
            query.setParameter("status", status);
        }
        List<CallRecord> calls = query.setMaxResults(limit).getResultList();
        return calls.stream().map(c -> summary(c, repeat(c))).toList();
    }

    /** Closed calls with a callback promised by {@code until} and not made yet, the earliest (the most overdue) first. */
    public List<Summary> followUps(Viewer v, OffsetDateTime until, int limit) {
        List<CallRecord> calls = em.createQuery("select c from CallRecord c where " + VISIBLE
                        + " and c.status = :closed and c.followUpAt is not null and c.callbackDoneAt is null and c.followUpAt <= :until"
                        + " order by c.followUpAt", CallRecord.class)
                .setParameter("hotline", v.hotline()).setParameter("supervisor", v.supervisor()).setParameter("me", v.subject())
                .setParameter("closed", CallStatus.CLOSED).setParameter("until", until).setMaxResults(limit).getResultList();
        return calls.stream().map(c -> summary(c, repeat(c))).toList();
    }

    /**
     * The call with the caller's earlier calls: only those this viewer may already see (their own, their shifts', all
     * for a supervisor), and the history lookup itself is on record.
     */
    public View view(CallRecord c, Viewer v, OffsetDateTime now) {
        audit.record(AuditTrail.Action.READ, "hotline-call", c.id.toString(), c.schoolId, "call record");
        List<Summary> earlier = List.of();
        if (c.callerKey != null) {
            earlier = em.createQuery("select c from CallRecord c where c.callerKey = :key and c.id <> :id and c.startedAt < :before and "
                            + VISIBLE + " order by c.startedAt desc", CallRecord.class)
                    .setParameter("key", c.callerKey).setParameter("id", c.id).setParameter("before", c.startedAt)
                    .setParameter("hotline", v.hotline()).setParameter("supervisor", v.supervisor()).setParameter("me", v.subject())
                    .setMaxResults(20).getResultList().stream().map(x -> summary(x, true)).toList();
            audit.record(AuditTrail.Action.READ, "hotline-caller-history", c.id.toString(), c.schoolId,
                    "earlier calls of the same caller: " + earlier.size());
        }
        EmergencyEscalation e = EmergencyEscalation.find("callId", c.id).firstResult();
        return new View(c.id, c.status, c.version, c.startedAt, c.endedAt,
                Duration.between(c.startedAt, c.endedAt == null ? now : c.endedAt).toSeconds(), c.channel, c.callerType,
                c.callerKey != null, c.identified, c.schoolId, c.studentNumber, c.districtCode, c.ageBand, c.sex,
                List.of(c.categories), c.riskAnswers, c.riskComputed, c.riskLevel, List.of(c.actions), c.notes, c.followUpAt,
                c.referralRequestId, e == null ? null : (e.closedAt == null ? "OPEN" : "CLOSED"), c.operator, earlier,
                c.callbackDoneAt, c.callbackOutcome, c.callbackNote);
    }

    private boolean repeat(CallRecord c) {
        return c.callerKey != null && CallRecord.count("callerKey = ?1 and id <> ?2 and startedAt < ?3", c.callerKey, c.id, c.startedAt) > 0;
    }

    private static Summary summary(CallRecord c, boolean repeat) {
        return new Summary(c.id, c.status, c.startedAt, c.endedAt, c.durationSeconds, c.channel, c.callerType,
                List.of(c.categories), c.riskLevel, List.of(c.actions), c.followUpAt, repeat, c.operator, c.callbackDoneAt,
                c.callbackOutcome);
    }
}
