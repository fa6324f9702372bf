package cn.xinqiao.referral.intake;

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
import cn.xinqiao.referral.sla.SlaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A request entering the green channel: a new episode routed to the school's partner hospital with its SLA clock
 * started, or a merge into the student's open episode (the risk can only rise, the deadlines only tighten).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class ReferralIntake {

    private static final Logger LOG = Logger.getLogger(ReferralIntake.class);

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

    /** Applies one request: a new episode, or a merge into the student's open one. Re-sent requests change nothing. */
    public UUID intake(ReferralRequest request, OffsetDateTime now) {
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
        record.requestedBy = request.requestedBy();
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

    private Referral create(ReferralRequest request, OffsetDateTime now) {
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
            steps.routeTo(r, route.get().hospitalId(), route.get().backupHospitalId(), now);
        } else {
            r.businessStatus = "unrouted";
            LOG.warnf("referral %s: no partner hospital for school %s, escalated to the bureau", r.id, r.schoolId);
        }
        r.persist();
        steps.record(r, route.isPresent() ? "routed" : "unrouted", null, null, null, route.isPresent() ? null : Escalation.NO_PARTNERSHIP,
                ReferralService.Actor.SYSTEM_ACTOR, now);
        return r;
    }

    private Referral merge(Referral r, ReferralRequest request, OffsetDateTime now) {
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
        steps.record(r, "merged", r.status, "request:" + request.source(), null, null, ReferralService.Actor.SYSTEM_ACTOR, now);
        return r;
    }

    private static List<Referral.Reason> reasons(ReferralRequest request) {
        return request.reasons().stream().map(x -> new Referral.Reason(x.code(), x.instrumentId(), x.totalScore(), x.band(),
                x.criticalItem(), request.source(), request.requestId())).toList();
    }
}
