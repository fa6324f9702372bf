package cn.xinqiao.hotline.call;

import cn.xinqiao.hotline.call.CallerKeys;
import cn.xinqiao.hotline.domain.RiskScreen;
import cn.xinqiao.hotline.domain.Taxonomy;
import cn.xinqiao.hotline.supervision.EmergencyEscalation;
import cn.xinqiao.platform.outbox.Outbox;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.problem.ProblemDetails;
import cn.xinqiao.platform.pseudonym.Pseudonyms;
import cn.xinqiao.platform.tenancy.Districts;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The call record's life: started (the timer runs), saved field by field while the operator talks, closed
 * once. Closing writes the de-identified {@code hotline.calls.v1} event and, for a HIGH/CRITICAL caller who
 * is an identified student, a {@code referral.requests.v1} request (the same green channel as screening) in
 * the same transaction; a CRITICAL caller without identity opens an emergency escalation instead.
 */
@ApplicationScoped
@Transactional
public class CallService {

    public static final String CALLS_TOPIC = "hotline.calls.v1";
    public static final String CALLS_TYPE = "cn.xinqiao.hotline.call.v1";
    static final Set<String> ACTIONS = Set.of("COUNSELLING", "SAFETY_PLAN", "EMERGENCY_SERVICES", "REFERRAL", "FOLLOW_UP_SCHEDULED", "INFORMATION");

    /** What the operator changed; {@code null} leaves a field as it is. */
    public record Changes(String channel, String callerType, String callerPhone, Boolean identified, String schoolId,
                          String studentNumber, String districtCode, String ageBand, String sex, List<String> categories,
                          RiskScreen.Answers riskAnswers, String riskLevel, List<String> actions, String notes,
                          OffsetDateTime followUpAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CallEvent(UUID callId, String hotline, OffsetDateTime startedAt, OffsetDateTime endedAt, int durationSeconds, String channel,
                            String callerType, String ageBand, String sex, String districtCode, String schoolId,
                            List<String> categories, String riskLevel, List<String> actions, boolean repeatCaller,
                            boolean escalated, OffsetDateTime callbackDueAt) {
    }

    public static final String CALLBACKS_TOPIC = "hotline.callbacks.v1";
    public static final String CALLBACKS_TYPE = "cn.xinqiao.hotline.callback.v1";

    /** hotline.callbacks.v1: a promised callback made, de-identified (the call's area, when it was due, when made, how it went). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CallbackEvent(UUID callId, String districtCode, String schoolId, OffsetDateTime dueAt, OffsetDateTime doneAt, String outcome) {
    }

    @Inject
    Outbox outbox;

    @Inject
    Taxonomy taxonomy;

    @Inject
    Pseudonyms students;

    @Inject
    @CallerKeys
    Pseudonyms callers;

    public CallRecord start(String hotline, String operator, String channel, Changes initial, OffsetDateTime now) {
        CallRecord call = new CallRecord();
        call.id = UUID.randomUUID();
        call.hotline = hotline;
        call.operator = operator;
        call.status = CallStatus.OPEN;
        call.startedAt = now;
        call.channel = channel;
        call.updatedAt = now;
        if (initial != null) {
            apply(call, initial);
        }
        call.persist();
        return call;
    }

    /** Autosave: only the fields sent change. A closed call refuses every change (409). The caller holds the row lock. */
    public CallRecord update(CallRecord call, Changes changes, OffsetDateTime now) {
        if (call.closed()) {
            throw Problem.conflict("call-closed", "this call was closed at " + call.endedAt + "; it can no longer change");
        }
        apply(call, changes);
        call.updatedAt = now;
        return call;
    }

    /** Close once: a second close returns the closed call and changes nothing. The caller holds the row lock. */
    public CallRecord close(CallRecord call, OffsetDateTime now) {
        if (call.closed()) {
            return call;
        }
        List<ProblemDetails.FieldError> missing = new ArrayList<>();
        if (call.riskLevel == null) {
            missing.add(new ProblemDetails.FieldError("riskLevel", "a call is closed with a risk level"));
        }
        if (call.categories.length == 0) {
            missing.add(new ProblemDetails.FieldError("categories", "a call is closed with at least one category"));
        }
        if (call.callerType == null) {
            missing.add(new ProblemDetails.FieldError("callerType", "who called"));
        }
        if (call.identified && (call.schoolId == null || call.studentNumber == null)) {
            missing.add(new ProblemDetails.FieldError("identified", "an identified student needs schoolId and studentNumber"));
        }
        if (!missing.isEmpty()) {
            throw new Problem(422, "call-incomplete", "Unprocessable request", "the call cannot be closed yet", missing);
        }
        call.status = CallStatus.CLOSED;
        call.endedAt = now;
        call.durationSeconds = (int) Math.max(0, Math.min(86_400, Duration.between(call.startedAt, now).toSeconds()));
        call.updatedAt = now;
        RiskScreen.Level level = RiskScreen.Level.valueOf(call.riskLevel);
        boolean escalated = false;
        if (level.compareTo(RiskScreen.Level.HIGH) >= 0 && call.identified) {
            call.referralRequestId = new ReferralRequest(UUID.randomUUID(), "HOTLINE", call.id,
                    students.studentKey(call.schoolId, call.studentNumber), call.schoolId, Districts.countyOfSchool(call.schoolId), null,
                    "UNKNOWN".equals(call.sex) ? null : call.sex, null, level.name(), reasons(call), now, call.operator).publishTo(outbox);
            escalated = true;
        } else if (level == RiskScreen.Level.CRITICAL) {
            EmergencyEscalation e = new EmergencyEscalation();
            e.id = UUID.randomUUID();
            e.callId = call.id;
            e.hotline = call.hotline;
            e.riskLevel = level.name();
            e.openedAt = now;
            e.persist();
            escalated = true;
        }
        boolean repeat = call.callerKey != null
                && CallRecord.count("callerKey = ?1 and id <> ?2 and startedAt < ?3", call.callerKey, call.id, call.startedAt) > 0;
        outbox.publish(CALLS_TOPIC, call.id.toString(), CALLS_TYPE, call.id.toString(), new CallEvent(call.id, call.hotline, call.startedAt,
                call.endedAt, call.durationSeconds, call.channel, call.callerType, call.ageBand, call.sex,
                call.identified ? Districts.countyOfSchool(call.schoolId) : call.districtCode, call.identified ? call.schoolId : null,
                List.of(call.categories), call.riskLevel, List.of(call.actions), repeat, escalated, call.followUpAt));
        return call;
    }

    /**
     * The promised callback, made: once per call (409 after), only for a closed call that promised one, not in the
     * future. The note stays with the call; the event carries when and how it went.
     */
    public CallRecord callback(CallRecord call, String outcome, String note, OffsetDateTime at, String by, OffsetDateTime now) {
        if (call.status != CallStatus.CLOSED || call.followUpAt == null) {
            throw Problem.conflict("no-callback-promised", "only a closed call that promised a callback can record one");
        }
        if (call.callbackDoneAt != null) {
            throw Problem.conflict("callback-recorded", "this callback is already recorded");
        }
        OffsetDateTime done = at == null ? now : at;
        if (done.isAfter(now.plusMinutes(5))) {
            throw Problem.unprocessable("callback-in-future", "a callback is recorded once it is made: 'at' cannot be in the future");
        }
        call.callbackDoneAt = done;
        call.callbackOutcome = outcome;
        call.callbackBy = by;
        call.callbackNote = note == null || note.isBlank() ? null : note.strip();
        call.updatedAt = now;
        outbox.publish(CALLBACKS_TOPIC, call.id.toString(), CALLBACKS_TYPE, call.id.toString(), new CallbackEvent(call.id,
                call.identified ? Districts.countyOfSchool(call.schoolId) : call.districtCode, call.identified ? call.schoolId : null,
                call.followUpAt, done, outcome));
        return call;
    }

    /** Coded reasons for the hospital: the call's categories plus the acute screen, never the operator's notes. */
    static List<ReferralRequest.Reason> reasons(CallRecord call) {
        Set<String> codes = new LinkedHashSet<>();
        if (call.riskAnswers != null && Boolean.TRUE.equals(call.riskAnswers.thoughtsNow())) {
            codes.add("HOTLINE:asq-acute-positive");
        }
        for (String category : call.categories) {
            codes.add("HOTLINE:" + category);
        }
        return codes.stream().limit(20).map(ReferralRequest.Reason::coded).toList();
    }

    private void apply(CallRecord call, Changes c) {
        List<ProblemDetails.FieldError> errors = new ArrayList<>();
        if (c.channel() != null) {
            call.channel = c.channel();
        }
        if (c.callerType() != null) {
            call.callerType = c.callerType();
        }
        if (c.callerPhone() != null) {
            // only the keyed hash is kept: it links repeat callers, it cannot be dialled
            call.callerKey = c.callerPhone().replaceAll("\\D", "").length() < 5 ? null : callers.phoneKey(c.callerPhone());
        }
        if (c.identified() != null) {
            call.identified = c.identified();
            if (!c.identified()) {
                call.schoolId = null;
                call.studentNumber = null;
            }
        }
        if (c.schoolId() != null) {
            call.schoolId = c.schoolId().isBlank() ? null : c.schoolId();
        }
        if (c.studentNumber() != null) {
            call.studentNumber = c.studentNumber().isBlank() ? null : c.studentNumber().strip();
        }
        if (c.districtCode() != null) {
            call.districtCode = c.districtCode().isBlank() ? null : c.districtCode();
        }
        if (c.ageBand() != null) {
            call.ageBand = c.ageBand();
        }
        if (c.sex() != null) {
            call.sex = c.sex();
        }
        if (c.categories() != null) {
            List<String> unknown = c.categories().stream().filter(x -> !taxonomy.contains(x)).toList();
            if (!unknown.isEmpty()) {
                errors.add(new ProblemDetails.FieldError("categories", "not in the taxonomy: " + unknown));
            } else {
                call.categories = new LinkedHashSet<>(c.categories()).toArray(String[]::new);
            }
        }
        if (c.riskAnswers() != null) {
            call.riskAnswers = c.riskAnswers();
            call.riskComputed = RiskScreen.assess(c.riskAnswers()).name();
            // the answers raise the recorded level, never lower it
            RiskScreen.Level recorded = call.riskLevel == null ? RiskScreen.Level.NONE : RiskScreen.Level.valueOf(call.riskLevel);
            call.riskLevel = RiskScreen.Level.max(recorded, RiskScreen.Level.valueOf(call.riskComputed)).name();
        }
        if (c.riskLevel() != null) {
            RiskScreen.Level chosen = RiskScreen.Level.valueOf(c.riskLevel());
            RiskScreen.Level floor = call.riskComputed == null ? RiskScreen.Level.NONE : RiskScreen.Level.valueOf(call.riskComputed);
            if (chosen.compareTo(floor) < 0) {
                errors.add(new ProblemDetails.FieldError("riskLevel", "the risk questions give " + floor + "; the level may be raised, not lowered"));
            } else {
                call.riskLevel = chosen.name();
            }
        }
        if (c.actions() != null) {
            List<String> unknown = c.actions().stream().filter(a -> !ACTIONS.contains(a)).toList();
            if (!unknown.isEmpty()) {
                errors.add(new ProblemDetails.FieldError("actions", "unknown actions: " + unknown));
            } else {
                call.actions = new LinkedHashSet<>(c.actions()).toArray(String[]::new);
            }
        }
        if (c.notes() != null) {
            call.notes = c.notes().isBlank() ? null : c.notes();
        }
        if (c.followUpAt() != null) {
            call.followUpAt = c.followUpAt();
        }
        if (!errors.isEmpty()) {
            throw Problem.invalid("some fields were not saved", errors);
        }
    }
}
