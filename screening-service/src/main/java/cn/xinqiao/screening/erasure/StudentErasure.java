package cn.xinqiao.screening.erasure;

import cn.xinqiao.screening.consent.ConsentWithdrawal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything screening-service holds of one student, removed: answers and scores, cases with their notes, steps,
 * sessions and follow-ups, access codes, consent records and scanned forms, guardian links, transfers, the open
 * referrals it was told of, the published events that named the student's key, and the roster row itself. The
 * audit log keeps its lines (who read what, when: a legal record), which point at an id that no longer exists.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class StudentErasure {

    @Inject
    EntityManager em;

    @Inject
    ConsentWithdrawal withdrawal;

    /** Why the student's data must stay for now (an open case or referral: vital interest), or null. */
    public String safetyReason(UUID studentId, String schoolId) {
        @SuppressWarnings("unchecked")
        List<UUID> campaigns = em.createNativeQuery("select distinct campaign_id from risk_case where student_id = ?1")
                .setParameter(1, studentId).getResultList();
        return withdrawal.safetyReason(studentId, schoolId, campaigns);
    }

    /** Erases the student; counts per kind of row. */
    public Map<String, Integer> erase(UUID studentId, String studentKey) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        List<UUID> campaigns = em.createNativeQuery("""
                        select campaign_id from access_code where student_id = ?1
                        union select campaign_id from submission where student_id = ?1
                        union select campaign_id from risk_case where student_id = ?1""")
                .setParameter(1, studentId).getResultList();
        ConsentWithdrawal.Outcome erased = withdrawal.erase(studentId, campaigns);
        counts.put("submissions", erased.submissionsErased());
        counts.put("cases", erased.casesErased());
        counts.put("accessCodes", delete("delete from access_code where student_id = ?1", studentId));
        counts.put("consents", delete("delete from guardian_consent where student_id = ?1", studentId));
        counts.put("guardianLinks", delete("delete from guardian_link where student_id = ?1", studentId));
        counts.put("transfers", delete("delete from student_transfer where student_id = ?1", studentId));
        counts.put("openReferrals", em.createNativeQuery("delete from referral_open where student_key = ?1")
                .setParameter(1, studentKey).executeUpdate());
        counts.put("publishedEvents", em.createNativeQuery("""
                        delete from outbox where published_at is not null and (msg_key = ?1 or payload ->> 'studentKey' = ?1)""")
                .setParameter(1, studentKey).executeUpdate());
        counts.put("student", delete("delete from student where id = ?1", studentId));
        return counts;
    }

    private int delete(String sql, UUID studentId) {
        return em.createNativeQuery(sql).setParameter(1, studentId).executeUpdate();
    }
}
