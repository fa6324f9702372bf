package cn.xinqiao.screening.riskqueue;

import cn.xinqiao.screening.casework.CaseSteps;
import cn.xinqiao.screening.domain.RiskAssessment;
import cn.xinqiao.screening.domain.RiskLevel;
import cn.xinqiao.screening.domain.Score;
import cn.xinqiao.screening.greenchannel.ReferralRequests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What a scored submission asks of the school: opens or raises the student's risk case for the campaign;
 * HIGH/CRITICAL raise a referral request (again only when the level rises).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class RiskFollowUp {

    /** The scored submission, as far as its follow-up needs it. */
    public record Scored(UUID submissionId, UUID campaignId, UUID studentId, String schoolId, String instrumentId, int totalScore,
                         String band, boolean criticalItem, Score score, RiskAssessment risk) {
    }

    @Inject
    ReferralRequests referrals;

    @Inject
    CaseSteps steps;

    public void follow(Scored s, ReferralRequests.Subject student) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        RiskCase rc = RiskCase.find("campaignId = ?1 and studentId = ?2", s.campaignId(), s.studentId()).firstResult();
        RiskLevel before = rc == null ? RiskLevel.NONE : RiskLevel.valueOf(rc.riskLevel);
        if (rc == null) {
            rc = new RiskCase();
            rc.id = UUID.randomUUID();
            rc.campaignId = s.campaignId();
            rc.studentId = s.studentId();
            rc.schoolId = s.schoolId();
            rc.status = CaseStatus.OPEN;
            rc.createdAt = now;
            rc.reasons = new ArrayList<>();
        }
        RiskAssessment risk = s.risk();
        RiskLevel level = RiskLevel.highest(before, risk.level());
        rc.riskLevel = level.name();
        rc.riskRank = (short) level.ordinal();
        String code = risk.rule().startsWith("critical-item")
                ? s.instrumentId() + ":" + s.score().criticalItems().get(0)
                : s.instrumentId() + ":" + s.band();
        rc.reasons = new ArrayList<>(rc.reasons);
        rc.reasons.add(new RiskCase.Reason(code, s.instrumentId(), s.totalScore(), s.band(), s.criticalItem()));
        rc.updatedAt = now;
        if (rc.status == CaseStatus.CLOSED && risk.level().raisesReferral()) {
            rc.status = CaseStatus.OPEN;
        }
        rc.persist();
        if (level.compareTo(before) > 0) {
            steps.schedule(rc, level, now);
        }
        if (risk.level().raisesReferral() && risk.level().compareTo(before) > 0) {
            List<RiskCase.Reason> reasons = rc.reasons.stream().filter(r -> r.code().equals(code)).toList();
            rc.referralRequestId = referrals.raise("SCREENING", s.submissionId(), student, s.campaignId(), risk.level().name(), reasons);
            rc.status = CaseStatus.REFERRED;
        }
    }
}
