package cn.xinqiao.screening.greenchannel;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.inbox.RejectedEvent;
import cn.xinqiao.screening.casework.Cases;
import cn.xinqiao.screening.casework.FollowUps;
import cn.xinqiao.screening.domain.RiskLevel;
import cn.xinqiao.screening.riskqueue.CaseSource;
import cn.xinqiao.screening.riskqueue.RiskCase;
import cn.xinqiao.screening.riskqueue.RiskCaseNote;
import cn.xinqiao.screening.riskqueue.RiskQueueService;
import cn.xinqiao.screening.roster.Student;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A hospital discharged a student back to school after treatment that did not begin with a referral from here
 * ({@code referral.status.v1}, origin {@code HOSPITAL_RETURN}): the student's open case (outside campaigns) takes it,
 * or a new one of source {@code HOSPITAL_RETURN} at MODERATE opens with its procedure; the hospital's follow-up plan
 * is dated on that case. Applied once per discharge, however often the event arrives.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class HospitalReturnCases {

    static final String ACTOR = "screening-service";
    private static final Set<String> CLOSED_REFERRAL = Set.of("completed", "cancelled", "rejected", "failed");

    @Inject
    Cases cases;

    @Inject
    FollowUps followUps;

    @Inject
    AuditTrail audit;

    public void received(String studentKey, String schoolId, RiskQueueService.StatusUpdate update) {
        if (RiskCase.count("referralId", update.referralId()) > 0) {
            return;
        }
        Student student = Student.<Student>find("schoolId = ?1 and studentKey = ?2", schoolId, studentKey).firstResultOptional()
                .orElseThrow(() -> new RejectedEvent("a discharge names no student on the school's roster"));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Cases.Opened found = cases.outsideCampaigns(student, CaseSource.HOSPITAL_RETURN, ACTOR, now);
        RiskCase rc = found.riskCase();
        boolean created = found.created();
        cases.raise(rc, student, RiskLevel.MODERATE, List.of(new RiskCase.Reason("HOSPITAL_RETURN", null, null, null, null)), now);
        if (rc.referralId == null || rc.referralStatus == null || CLOSED_REFERRAL.contains(rc.referralStatus)) {
            rc.referralId = update.referralId();
            rc.referralStatus = update.status();
            rc.referralBusinessStatus = update.businessStatus();
            rc.referralHospital = update.hospitalId();
            rc.referralUpdatedAt = update.occurredAt();
        }
        followUps.plan(rc, update.referralId(), update.occurredAt(), update.followUpPlan(), now);
        RiskCaseNote note = new RiskCaseNote();
        note.id = UUID.randomUUID();
        note.caseId = rc.id;
        note.author = ACTOR;
        note.kind = "FOLLOW_UP";
        note.note = "医院出院返校，回访计划已排期 / discharged back to school by the hospital; follow-ups dated";
        note.createdAt = now;
        note.persist();
        audit.recordAs(ACTOR, "system", created ? AuditTrail.Action.CREATE : AuditTrail.Action.UPDATE, "risk-case", rc.id.toString(),
                schoolId, "discharge back to school");
    }
}
