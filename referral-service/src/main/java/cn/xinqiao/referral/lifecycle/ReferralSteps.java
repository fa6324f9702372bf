package cn.xinqiao.referral.lifecycle;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.referral.dispatch.HospitalMessages;
import cn.xinqiao.referral.domain.Lifecycle;
import cn.xinqiao.referral.domain.Risk;
import cn.xinqiao.referral.domain.SlaPolicy;
import cn.xinqiao.referral.lifecycle.StatusEvents.Escalation;
import cn.xinqiao.referral.sla.SlaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.UUID;

/**
 * The moves every part of the green channel makes on a referral: lock it, route it to a hospital (or its backup)
 * and record the step as a transition row in the caller's transaction.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class ReferralSteps {

    @Inject
    StatusEvents events;

    @Inject
    SlaConfig sla;

    @Inject
    HospitalMessages hospitalMessages;

    public Referral lock(UUID id) {
        Referral r = Referral.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (r == null) {
            throw Problem.notFound("referral");
        }
        return r;
    }

    public void routeTo(Referral r, String hospital, String backup, OffsetDateTime now) {
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

    public void reopenAtBackup(Referral r, String backup, OffsetDateTime now, String why) {
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
        record(r, "escalated", previous, why, null, Escalation.BACKUP_HOSPITAL, ReferralService.Actor.SYSTEM_ACTOR, now);
        events.publish(r, "escalated", previous, reasonCode(why), Escalation.BACKUP_HOSPITAL, now);
    }

    public void record(Referral r, String step, String from, String reason, String note, Escalation escalation,
                       ReferralService.Actor actor, OffsetDateTime now) {
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
    public static String withReasonText(String reason, String note) {
        if (reason == null || reason.isBlank() || reason.strip().equals(reasonCode(reason))) {
            return note;
        }
        return note == null || note.isBlank() ? reason.strip() : reason.strip() + "\n" + note.strip();
    }

    /** Free-text reasons stay in the service; events carry a code (letters, digits, {@code _.:-}, ≤ 60). */
    public static String reasonCode(String reason) {
        String code = reason.strip().replaceAll("[^A-Za-z0-9_.:-]+", "-").replaceAll("^-+|-+$", "");
        if (code.isEmpty()) {
            code = "other";
        }
        return code.length() > 60 ? code.substring(0, 60) : code;
    }
}
