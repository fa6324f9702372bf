package cn.xinqiao.referral.lifecycle;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.referral.dispatch.HospitalMessages;
import cn.xinqiao.referral.domain.Lifecycle.Step;
import cn.xinqiao.referral.domain.Lifecycle;
import cn.xinqiao.referral.lifecycle.StatusEvents.Escalation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The referral's lifecycle as the hospital and the school move it (accept, schedule, complete, decline, cancel)
 * and the guardian record. Each change writes its transition row and its {@code referral.status.v1} event in the
 * same transaction; a change that needs the hospital to hear of it marks the referral for the dispatcher.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class ReferralService {

    public static final String SYSTEM = "referral-service";

    /** Who is acting: a user (subject + role) or the service itself. */
    public record Actor(String subject, String role) {
        public static final Actor SYSTEM_ACTOR = new Actor(SYSTEM, "system");
    }

    @Inject
    StatusEvents events;

    @Inject
    HospitalMessages hospitalMessages;

    @Inject
    AuditTrail audit;

    @Inject
    ReferralSteps steps;

    // ------------------------------------------------------------------ lifecycle

    public record TransitionInput(String to, String reason, OffsetDateTime appointmentAt, String note, ReturnSummary returnSummary) {
    }

    /** A user's step; the caller's party (hospital or school) was established by the resource. */
    public Referral transition(UUID id, TransitionInput input, Lifecycle.Party party, Actor actor, OffsetDateTime now) {
        Step step = Step.of(input.to()).orElseThrow(() -> Problem.unprocessable("unknown-transition",
                "'to' must be one of accepted, rejected, scheduled, completed, no-show, cancelled"));
        Referral r = steps.lock(id);
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
        if (input.returnSummary() != null && step != Step.COMPLETED) {
            throw Problem.unprocessable("return-summary-on-completion", "a return summary comes with 'completed' only");
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
            case COMPLETED -> {
                r.completedAt = now;
                if (input.returnSummary() != null) {
                    r.returnSummary = input.returnSummary();
                    r.returnedAt = now;
                }
            }
            default -> { }
        }
        if (party == Lifecycle.Party.HOSPITAL && input.note() != null && !input.note().isBlank()) {
            r.feedback = input.note().strip();
        }
        if (step.closes()) {
            close(r, now);
        }
        String reasonCode = step.reasonRequired ? ReferralSteps.reasonCode(input.reason()) : null;
        steps.record(r, step.wire, previous, input.reason(), ReferralSteps.withReasonText(input.reason(), input.note()), null, actor, now);
        events.publish(r, step.businessStatus, previous, reasonCode, null, now);
        if (step == Step.CANCELLED && party == Lifecycle.Party.SCHOOL) {
            hospitalMessages.cancelAt(r, hospitalBefore, now);
        }
        if (step == Step.REJECTED) {
            afterRejection(r, hospitalBefore, now);
        }
        audit.recordAs(actor.subject(), actor.role(), AuditTrail.Action.TRANSITION, "referral", r.id.toString(), r.schoolId, step.wire);
        return r;
    }

    /** Declined: the backup hospital if it has not seen this episode yet, else the bureau must step in. */
    private void afterRejection(Referral r, String declinedBy, OffsetDateTime now) {
        String backup = r.backupHospitalId;
        if (backup != null && !r.triedHospital(backup)) {
            steps.reopenAtBackup(r, backup, now, "declined-by:" + declinedBy);
        } else {
            steps.record(r, "escalated", r.status, "declined-no-backup", null, Escalation.BUREAU_ALERT, Actor.SYSTEM_ACTOR, now);
            events.publish(r, "escalated", r.status, "declined-no-backup", Escalation.BUREAU_ALERT, now);
        }
    }

    private static void close(Referral r, OffsetDateTime now) {
        r.open = false;
        r.closedAt = now;
    }

    // ------------------------------------------------------------------ guardian

    public record GuardianInput(String kind, OffsetDateTime informedAt, String method, String exceptionCode, String note) {
    }

    public GuardianNotification recordGuardian(UUID id, GuardianInput input, Actor actor, OffsetDateTime now) {
        Referral r = steps.lock(id);
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
}
