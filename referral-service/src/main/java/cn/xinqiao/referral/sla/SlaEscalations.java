package cn.xinqiao.referral.sla;

import cn.xinqiao.referral.dispatch.HospitalMessages;
import cn.xinqiao.referral.domain.Lifecycle;
import cn.xinqiao.referral.domain.Risk;
import cn.xinqiao.referral.domain.Route;
import cn.xinqiao.referral.domain.SlaPolicy;
import cn.xinqiao.referral.lifecycle.Referral;
import cn.xinqiao.referral.lifecycle.ReferralService;
import cn.xinqiao.referral.lifecycle.ReferralSteps;
import cn.xinqiao.referral.lifecycle.StatusEvents.Escalation;
import cn.xinqiao.referral.lifecycle.StatusEvents;
import cn.xinqiao.referral.partnership.PartnershipService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** What the clocks do ({@link SlaMonitor} calls these, one referral per transaction): escalate, reroute. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class SlaEscalations {

    @Inject
    PartnershipService partnerships;

    @Inject
    StatusEvents events;

    @Inject
    SlaConfig sla;

    @Inject
    HospitalMessages hospitalMessages;

    @Inject
    ReferralSteps steps;

    /** The hospital did not acknowledge in time: move to the backup (once) and alert the bureau. */
    public boolean acknowledgeOverdue(UUID id, OffsetDateTime now) {
        Referral r = steps.lock(id);
        if (!r.open || !Lifecycle.REQUESTED.equals(r.status) || r.hospitalId == null || r.acknowledgeEscalatedAt != null
                || r.acknowledgeDueAt.isAfter(now)) {
            return false;   // acknowledged, or another replica escalated it first
        }
        String late = r.hospitalId;
        steps.record(r, "escalated", r.status, "acknowledge-overdue:" + late, null, Escalation.BUREAU_ALERT, ReferralService.Actor.SYSTEM_ACTOR, now);
        events.publish(r, "escalated", r.status, "acknowledge-overdue", Escalation.BUREAU_ALERT, now);
        String backup = r.backupHospitalId;
        if (backup != null && !r.triedHospital(backup)) {
            hospitalMessages.cancelAt(r, late, now);
            steps.reopenAtBackup(r, backup, now, "acknowledge-overdue:" + late);
        } else {
            r.acknowledgeEscalatedAt = now;
            r.updatedAt = now;
        }
        return true;
    }

    /** Accepted but the student was not seen in time: the bureau is alerted (once). */
    public boolean visitOverdue(UUID id, OffsetDateTime now) {
        Referral r = steps.lock(id);
        if (!r.open || r.completedAt != null || r.visitEscalatedAt != null || r.visitDueAt.isAfter(now)) {
            return false;
        }
        r.visitEscalatedAt = now;
        r.updatedAt = now;
        steps.record(r, "escalated", r.status, "visit-overdue", null, Escalation.BUREAU_ALERT, ReferralService.Actor.SYSTEM_ACTOR, now);
        events.publish(r, "escalated", r.status, "visit-overdue", Escalation.BUREAU_ALERT, now);
        return true;
    }

    /** An unrouted referral finds a partner as soon as the bureau records one. */
    public boolean retryRoute(UUID id, OffsetDateTime now) {
        Referral r = steps.lock(id);
        if (!r.open || r.hospitalId != null) {
            return false;
        }
        Optional<Route> route = partnerships.routeFor(r.schoolId, r.districtCode);
        if (route.isEmpty()) {
            return false;
        }
        steps.routeTo(r, route.get().hospitalId(), route.get().backupHospitalId(), now);
        SlaPolicy.Deadlines due = sla.policy().deadlines(Risk.valueOf(r.riskLevel), now);
        r.acknowledgeDueAt = due.acknowledgeBy();
        r.updatedAt = now;
        steps.record(r, "routed", r.status, null, null, null, ReferralService.Actor.SYSTEM_ACTOR, now);
        events.publish(r, "routed", r.status, null, null, now);
        return true;
    }
}
