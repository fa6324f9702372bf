package cn.xinqiao.screening.consent;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.screening.submission.Enrolments;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.UUID;

/**
 * What a withdrawal of consent does to the school year's screening of one student: no more answers (the login and
 * every submission check the consent, and say kindly why), and the answers, scores and closed cases of that year are erased — unless the student's
 * safety needs them (PIPL art. 13: vital interest): a risk case of the year still open, or a referral still open
 * for the student. Then nothing is erased now, the reason is recorded on the withdrawal, and the retention job
 * erases the year once the case and the referral have closed.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class ConsentWithdrawal {

    /** What was done: erased counts, or the reason for keeping. */
    public record Outcome(int submissionsErased, int casesErased, String retainedForSafety) {
    }

    @Inject
    EntityManager em;

    @Inject
    Enrolments enrolments;

    @Inject
    AuditTrail audit;

    /** @param actor and {@code roles}: who set it off, for the audit line (a staff member, the guardian's link, the follow-through) */
    public Outcome apply(UUID studentId, String schoolId, int schoolYear, String actor, String roles) {
        @SuppressWarnings("unchecked")
        List<UUID> campaigns = em.createNativeQuery("""
                        select a.campaign_id from access_code a join campaign c on c.id = a.campaign_id
                        where a.student_id = ?1 and c.school_year = ?2""")
                .setParameter(1, studentId).setParameter(2, schoolYear).getResultList();
        enrolments.lockStudents(campaigns.stream().map(c -> new UUID[]{c, studentId}).toList());
        String keep = safetyReason(studentId, schoolId, campaigns);
        if (keep != null) {
            audit.recordAs(actor, roles, AuditTrail.Action.UPDATE, "consent-withdrawal", studentId.toString(), schoolId,
                    "withdrawal: screening data of " + schoolYear + " kept for the student's safety (" + keep + ")");
            return new Outcome(0, 0, keep);
        }
        Outcome erased = erase(studentId, campaigns);
        audit.recordAs(actor, roles, AuditTrail.Action.UPDATE, "consent-withdrawal", studentId.toString(), schoolId,
                "withdrawal: erased " + erased.submissionsErased() + " submissions and " + erased.casesErased() + " cases of " + schoolYear);
        return erased;
    }

    /** Why the year's data must stay for now, or null: an open case of the year, or an open referral. */
    public String safetyReason(UUID studentId, String schoolId, List<UUID> campaigns) {
        Number openCases = (Number) em.createNativeQuery("""
                        select count(*) from risk_case where student_id = ?1 and campaign_id = any(?2) and status <> 'CLOSED'""")
                .setParameter(1, studentId).setParameter(2, campaigns.toArray(UUID[]::new)).getSingleResult();
        Number openReferrals = (Number) em.createNativeQuery("""
                        select count(*) from referral_open r join student s on s.student_key = r.student_key
                        where s.id = ?1 and r.school_id = ?2 and r.open""")
                .setParameter(1, studentId).setParameter(2, schoolId).getSingleResult();
        if (openCases.longValue() > 0) {
            return "an open risk case of this school year (vital interest, PIPL art. 13) / 本学年尚有未结案的风险个案，为保障学生安全暂予保留";
        }
        if (openReferrals.longValue() > 0) {
            return "a referral in progress (vital interest, PIPL art. 13) / 医院转介进行中，为保障学生安全暂予保留";
        }
        return null;
    }

    /** Erases the answers, scores and (closed) cases of these campaigns for the student. */
    public Outcome erase(UUID studentId, List<UUID> campaigns) {
        UUID[] ids = campaigns.toArray(UUID[]::new);
        String cases = "(select id from risk_case where student_id = ?1 and campaign_id = any(?2))";
        for (String dependent : List.of("risk_case_note", "case_step", "counselling_session", "follow_up")) {
            em.createNativeQuery("delete from " + dependent + " where case_id in " + cases)
                    .setParameter(1, studentId).setParameter(2, ids).executeUpdate();
        }
        int caseCount = em.createNativeQuery("delete from risk_case where student_id = ?1 and campaign_id = any(?2)")
                .setParameter(1, studentId).setParameter(2, ids).executeUpdate();
        int submissions = em.createNativeQuery("delete from submission where student_id = ?1 and campaign_id = any(?2)")
                .setParameter(1, studentId).setParameter(2, ids).executeUpdate();
        return new Outcome(submissions, caseCount, null);
    }
}
