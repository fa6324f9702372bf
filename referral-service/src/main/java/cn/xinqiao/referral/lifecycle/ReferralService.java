package cn.xinqiao.referral.service;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.referral.config.SlaConfig;
import cn.xinqiao.referral.domain.Lifecycle;
import cn.xinqiao.referral.domain.Lifecycle.Step;
import cn.xinqiao.referral.domain.Risk;
import cn.xinqiao.referral.domain.Route;
import cn.xinqiao.referral.domain.SlaPolicy;
import cn.xinqiao.referral.service.StatusEvents.Escalation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The green channel's state changes: intake (create or merge), routing, the lifecycle, escalation. Each change
 * writes its transition row and its {@code referral.status.v1} event in the same transaction; a change that
 * needs the hospital to hear of it marks the referral for {@link HospitalDispatcher}.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class ReferralService {

    private static final Logger LOG = Logger.getLogger(ReferralService.class);
    public static final String SYSTEM = "referral-service";

    /** Who is acting: a user (subject + role) or the service itself. */
    public record Actor(String subject, String role) {
        public static final Actor SYSTEM_ACTOR = new Actor(SYSTEM, "system");
    }

    @Inject
    PartnershipService partnerships;

    @Inject
    StatusEvents events;

    @Inject
    SlaConfig sla;

    @Inject
    HospitalMessages hospitalMessages;

    @Inject
    AuditTrail audit;

    // ------------------------------------------------------------------ intake

    /** Applies one request: a new episode, or a merge into the student's open one. Re-sent requests change nothing. */
    public UUID intake(IncomingRequest request, OffsetDateTime now) {
        ReferralRequestRecord seen = ReferralRequestRecord.findById(request.requestId());
        if (seen != null) {
            return seen.referralId;
        }
        Optional<Referral> open = Referral.<Referral>find("studentKey = ?1 and open = true", request.studentKey())
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
        Referral referral = open.isPresent() ? merge(open.get(), request, now) : create(request, now);
        ReferralRequestRecord record = new ReferralRequestRecord();
        record.requestId = request.requestId();
        record.referralId = referral.id;
        record.source = request.source();
        record.sourceRef = request.sourceRef();
        record.riskLevel = request.riskLevel();
        record.reasons = reasons(request);
        record.campaignId = request.campaignId();
        record.requestedAt = request.requestedAt();
        record.receivedAt = now;
        record.persist();
        ReferralRequestRecord.flush();
        if (open.isPresent()) {
            events.publish(referral, "merged", referral.status, null, null, now);
        } else if (referral.hospitalId == null) {
            events.publish(referral, "unrouted", null, null, Escalation.NO_PARTNERSHIP, now);
        } else {
            events.publish(referral, "routed", null, null, null, now);
        }
        return referral.id;
    }

    private Referral create(IncomingRequest request, OffsetDateTime now) {
        Risk risk = Risk.valueOf(request.riskLevel());
        OffsetDateTime started = request.requestedAt().isAfter(now) ? now : request.requestedAt();
        SlaPolicy.Deadlines due = sla.policy().deadlines(risk, started);
        Referral r = new Referral();
        r.id = UUID.randomUUID();
        r.studentKey = request.studentKey();
        r.schoolId = request.schoolId();
        r.districtCode = request.districtCode();
        r.grade = request.grade() == null ? null : request.grade().shortValue();
        r.sex = request.sex();
        r.riskLevel = risk.name();
        r.riskRank = (short) risk.ordinal();
        r.reasons = new ArrayList<>(reasons(request));
        r.status = Lifecycle.REQUESTED;
        r.open = true;
        r.firstRequestedAt = started;
        r.acknowledgeDueAt = due.acknowledgeBy();
        r.visitDueAt = due.visitBy();
        r.guardianDueAt = started.plus(sla.guardian());
        r.createdAt = now;
        r.updatedAt = now;
        Optional<Route> route = partnerships.routeFor(r.schoolId, r.districtCode);
        if (route.isPresent()) {
            routeTo(r, route.get().hospitalId(), route.get().backupHospitalId(), now);
        } else {
            r.businessStatus = "unrouted";
            LOG.warnf("referral %s: no partner hospital for school %s, escalated to the bureau", r.id, r.schoolId);
        }
        r.persist();
        transition(r, route.isPresent() ? "routed" : "unrouted", null, null, null, route.isPresent() ? null : Escalation.NO_PARTNERSHIP,
                Actor.SYSTEM_ACTOR, now);
        return r;
    }

    private Referral merge(Referral r, IncomingRequest request, OffsetDateTime now) {
        Risk before = Risk.valueOf(r.riskLevel);
        Risk after = Risk.max(before, Risk.valueOf(request.riskLevel()));
        List<Referral.Reason> merged = new ArrayList<>(r.reasons);
        merged.addAll(reasons(request));
        r.reasons = merged;
        if (after != before) {
            r.riskLevel = after.name();
            r.riskRank = (short) after.ordinal();
            SlaPolicy.Deadlines due = sla.policy().tighten(new SlaPolicy.Deadlines(r.acknowledgeDueAt, r.visitDueAt), after, now);
            r.acknowledgeDueAt = due.acknowledgeBy();
            r.visitDueAt = due.visitBy();
        }
        r.updatedAt = now;
        if (r.hospitalId != null && r.dispatchKind == null) {
            hospitalMessages.requestDispatch(r, HospitalMessages.Kind.UPDATE);
        }
        transition(r, "merged", r.status, "request:" + request.source(), null, null, Actor.SYSTEM_ACTOR, now);
        return r;
    }

    private static List<Referral.Reason> reasons(IncomingRequest request) {
        return request.reasons().stream().map(x -> new Referral.Reason(x.code(), x.instrumentId(), x.totalScore(), x.band(),
                x.criticalItem(), request.source(), request.requestId())).toList();
    }

    private void routeTo(Referral r, String hospital, String backup, OffsetDateTime now) {
        r.hospitalId = hospital;
        r.backupHospitalId = backup;
        r.status = Lifecycle.REQUESTED;
        r.businessStatus = "routed";
        r.routedAt = now;
        String[] tried = Arrays.copyOf(r.hospitalsTried, r.hospitalsTried.length + 1);
        tried[tried.length - 1] = hospital;
        r.hospitalsTried = tried;
        hospitalMessages.requestDispatch(r, HospitalMessages.Kind.NEW);
    }

    // ------------------------------------------------------------------ lifecycle

    public record TransitionInput(String to, String reason, OffsetDateTime appointmentAt, String note) {
    }

    /** A user's step; the caller's party (hospital or school) was established by the resource. */
    public Referral transition(UUID id, TransitionInput input, Lifecycle.Party party, Actor actor, OffsetDateTime now) {
        Step step = Step.of(input.to()).orElseThrow(() -> Problem.unprocessable("unknown-transition",
                "'to' must be one of accepted, rejected, scheduled, completed, no-show, cancelled"));
        Referral r = lock(id);
        if (step.party != Lifecycle.Party.EITHER && step.party != party) {
            throw Problem.forbidden("only the " + (step.party == Lifecycle.Party.HOSPITAL ? "receiving hospital" : "referring school")
                    + " may mark a referral " + step.wire);
        }
        if (!r.open || !step.allowedFrom(r.status) || (party == Lifecycle.Party.HOSPITAL && r.hospitalId == null)) {
            throw Problem.conflict("illegal-transition", "a referral in status '" + r.status + "' cannot become '" + step.wire + "'");
        }
        if (step.reasonRequired && (input.reason() == null || input.reason().isBlank())) {
            throw Problem.unprocessable("reason-required", "'" + step.wire + "' needs a reason");
        }
        if (step.appointmentRequired && input.appointmentAt() == null) {
            throw Problem.unprocessable("appointment-required", "'scheduled' needs appointmentAt");
        }
        String previous = r.status;
        String hospitalBefore = r.hospitalId;
        r.status = step.taskStatus;
        r.businessStatus = step.businessStatus;
        r.updatedAt = now;
        switch (step) {
            case ACCEPTED -> r.acceptedAt = now;
            case SCHEDULED -> r.appointmentAt = input.appointmentAt();
            case COMPLETED -> r.completedAt = now;
            default -> { }
        }
        if (party == Lifecycle.Party.HOSPITAL && input.note() != null && !input.note().isBlank()) {
            r.feedback = input.note().strip();
        }
        if (step.closes()) {
            close(r, now);
        }
        String reasonCode = step.reasonRequired ? reasonCode(input.reason()) : null;
        transition(r, step.wire, previous, input.reason(), withReasonText(input.reason(), input.note()), null, actor, now);
        events.publish(r, step.businessStatus, previous, reasonCode, null, now);
        if (step == Step.CANCELLED && party == Lifecycle.Party.SCHOOL) {
            hospitalMessages.cancelAt(r, hospitalBefore, now);
        }
        if (step == Step.REJECTED) {
            afterRejection(r, hospitalBefore, now);
        }
        audit.record(AuditTrail.Action.TRANSITION, "referral", r.id.toString(), r.schoolId, step.wire);
        return r;
    }

    /** Declined: the backup hospital if it has not seen this episode yet, else the bureau must step in. */
    private void afterRejection(Referral r, String declinedBy, OffsetDateTime now) {
        String backup = r.backupHospitalId;
        if (backup != null && !r.triedHospital(backup)) {
            reopenAtBackup(r, backup, now, "declined-by:" + declinedBy);
        } else {
            transition(r, "escalated", r.status, "declined-no-backup", null, Escalation.BUREAU_ALERT, Actor.SYSTEM_ACTOR, now);
            events.publish(r, "escalated", r.status, "declined-no-backup", Escalation.BUREAU_ALERT, now);
        }
    }

    private void reopenAtBackup(Referral r, String backup, OffsetDateTime now, String why) {
        String previous = r.status;
        r.open = true;
        r.closedAt = null;
        r.acceptedAt = null;
        r.appointmentAt = null;
        routeTo(r, backup, null, now);
        SlaPolicy.Deadlines due = sla.policy().deadlines(Risk.valueOf(r.riskLevel), now);
        r.acknowledgeDueAt = due.acknowledgeBy();
        r.acknowledgeEscalatedAt = null;
        r.updatedAt = now;
        transition(r, "escalated", previous, why, null, Escalation.BACKUP_HOSPITAL, Actor.SYSTEM_ACTOR, now);
        events.publish(r, "escalated", previous, reasonCode(why), Escalation.BACKUP_HOSPITAL, now);
    }

    private static void close(Referral r, OffsetDateTime now) {
        r.open = false;
        r.closedAt = now;
    }

    // ------------------------------------------------------------------ clocks (called by SlaMonitor)

    /** The hospital did not acknowledge in time: move to the backup (once) and alert the bureau. */
    public boolean acknowledgeOverdue(UUID id, OffsetDateTime now) {
        Referral r = lock(id);
        if (!r.open || !Lifecycle.REQUESTED.equals(r.status) || r.hospitalId == null || r.acknowledgeEscalatedAt != null
                || r.acknowledgeDueAt.isAfter(now)) {
            return false;   // acknowledged, or another replica escalated it first
        }
        String late = r.hospitalId;
        transition(r, "escalated", r.status, "acknowledge-overdue:" + late, null, Escalation.BUREAU_ALERT, Actor.SYSTEM_ACTOR, now);
        events.publish(r, "escalated", r.status, "acknowledge-overdue", Escalation.BUREAU_ALERT, now);
        String backup = r.backupHospitalId;
        if (backup != null && !r.triedHospital(backup)) {
            hospitalMessages.cancelAt(r, late, now);
            reopenAtBackup(r, backup, now, "acknowledge-overdue:" + late);
        } else {
            r.acknowledgeEscalatedAt = now;
            r.updatedAt = now;
        }
        return true;
    }

    /** Accepted but the student was not seen in time: the bureau is alerted (once). */
    public boolean visitOverdue(UUID id, OffsetDateTime now) {
        Referral r = lock(id);
        if (!r.open || r.completedAt != null || r.visitEscalatedAt != null || r.visitDueAt.isAfter(now)) {
            return false;
        }
        r.visitEscalatedAt = now;
        r.updatedAt = now;
        transition(r, "escalated", r.status, "visit-overdue", null, Escalation.BUREAU_ALERT, Actor.SYSTEM_ACTOR, now);
        events.publish(r, "escalated", r.status, "visit-overdue", Escalation.BUREAU_ALERT, now);
        return true;
    }

    /** An unrouted referral finds a partner as soon as the bureau records one. */
    public boolean retryRoute(UUID id, OffsetDateTime now) {
        Referral r = lock(id);
        if (!r.open || r.hospitalId != null) {
            return false;
        }
        Optional<Route> route = partnerships.routeFor(r.schoolId, r.districtCode);
        if (route.isEmpty()) {
            return false;
        }
        routeTo(r, route.get().hospitalId(), route.get().backupHospitalId(), now);
        SlaPolicy.Deadlines due = sla.policy().deadlines(Risk.valueOf(r.riskLevel), now);
        r.acknowledgeDueAt = due.acknowledgeBy();
        r.updatedAt = now;
        transition(r, "routed", r.status, null, null, null, Actor.SYSTEM_ACTOR, now);
        events.publish(r, "routed", r.status, null, null, now);
        return true;
    }

    // ------------------------------------------------------------------ guardian

    public record GuardianInput(String kind, OffsetDateTime informedAt, String method, String exceptionCode, String note) {
    }

    public GuardianNotification recordGuardian(UUID id, GuardianInput input, Actor actor, OffsetDateTime now) {
        Referral r = lock(id);
        GuardianNotification g = new GuardianNotification();
        g.id = UUID.randomUUID();
        g.referralId = r.id;
        g.kind = input.kind();
        if ("INFORMED".equals(input.kind())) {
            if (input.informedAt() == null || input.method() == null) {
                throw Problem.unprocessable("guardian-informed-incomplete", "an informed guardian needs informedAt and method");
            }
            if (input.informedAt().isAfter(now.plusMinutes(5))) {
                throw Problem.unprocessable("guardian-informed-in-future", "informedAt cannot be in the future");
            }
            g.informedAt = input.informedAt();
            g.method = input.method();
            g.informedBy = actor.subject();
        } else {
            if (input.exceptionCode() == null || input.note() == null || input.note().isBlank()) {
                throw Problem.unprocessable("guardian-exception-undocumented", "an exception needs exceptionCode and a note explaining it");
            }
            g.exceptionCode = input.exceptionCode();
        }
        g.note = input.note() == null ? null : input.note().strip();
        g.recordedBy = actor.subject();
        g.recordedAt = now;
        g.persist();
        r.updatedAt = now;
        audit.record(AuditTrail.Action.UPDATE, "guardian-notification", r.id.toString(), r.schoolId, input.kind());
        return g;
    }

    // ------------------------------------------------------------------ helpers

    public Referral lock(UUID id) {
        Referral r = Referral.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (r == null) {
            throw Problem.notFound("referral");
        }
        return r;
    }

    private void transition(Referral r, String step, String from, String reason, String note, Escalation escalation,
                            Actor actor, OffsetDateTime now) {
        ReferralTransition t = new ReferralTransition();
        t.id = UUID.randomUUID();
        t.referralId = r.id;
        t.step = step;
        t.fromStatus = from;
        t.toStatus = r.status;
        t.businessStatus = escalation == null ? r.businessStatus : "escalated";
        t.hospitalId = r.hospitalId;
        t.reasonCode = reason == null ? null : reasonCode(reason);
        t.note = note == null || note.isBlank() ? null : note.strip();
        t.appointmentAt = "scheduled".equals(step) ? r.appointmentAt : null;
        t.escalation = escalation == null ? null : escalation.name();
        t.actor = actor.subject();
        t.actorRole = actor.role();
        t.occurredAt = now;
        t.persist();
    }

    /** A reason that is prose rather than a code (e.g. "本周无床位") is kept, in full, with the note. */
    private static String withReasonText(String reason, String note) {
        if (reason == null || reason.isBlank() || reason.strip().equals(reasonCode(reason))) {
            return note;
        }
        return note == null || note.isBlank() ? reason.strip() : reason.strip() + "\n" + note.strip();
    }

    /** Free-text reasons stay in the service; events carry a code (letters, digits, {@code _.:-}, ≤ 60). */
    static String reasonCode(String reason) {
        String code = reason.strip().replaceAll("[^A-Za-z0-9_.:-]+", "-").replaceAll("^-+|-+$", "");
        if (code.isEmpty()) {
            code = "other";
        }
        return code.length() > 60 ? code.substring(0, 60) : code;
    }
}
