package cn.xinqiao.referral.erasure;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.referral.identity.SubjectKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * One student erased: each of their referrals keeps what the bureau's figures need (dates, status, risk, coded
 * reasons and outcomes) and loses everything that points at the student — the identity snapshot, the free-text
 * feedback, notes and recommendations, and the student key itself (replaced by a random one, so the episodes
 * cannot be linked back or to each other). The student's identity key is destroyed: the identity sealed in every
 * hospital message ever sent for them can no longer be opened, wherever a copy of the message is.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class ReferralErasure {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    EntityManager em;

    @Inject
    SubjectKeys keys;

    @Inject
    AuditTrail audit;

    public void erase(UUID erasureId, String studentKey) {
        @SuppressWarnings("unchecked")
        List<UUID> referrals = em.createNativeQuery("select id from referral where student_key = ?1").setParameter(1, studentKey).getResultList();
        UUID[] ids = referrals.toArray(UUID[]::new);
        for (UUID id : referrals) {
            em.createNativeQuery("""
                            update referral set patient = null, feedback = null, return_summary = return_summary - 'recommendations',
                                   student_key = ?2, dispatch_kind = null, dispatch_hospital_id = null, dispatch_next_at = null
                            where id = ?1""")
                    .setParameter(1, id).setParameter(2, tombstone()).executeUpdate();
        }
        em.createNativeQuery("update referral_transition set note = null where referral_id = any(?1)").setParameter(1, ids).executeUpdate();
        em.createNativeQuery("update guardian_notification set note = null where referral_id = any(?1)").setParameter(1, ids).executeUpdate();
        // messages not yet published are never sent; published ones name only the key, or carry the sealed identity
        em.createNativeQuery("""
                        delete from outbox where (published_at is null and msg_key = any(?1))
                           or (published_at is not null and (msg_key = ?2 or payload ->> 'studentKey' = ?2))""")
                .setParameter(1, referrals.stream().map(UUID::toString).toArray(String[]::new)).setParameter(2, studentKey).executeUpdate();
        int keysDestroyed = keys.destroy(studentKey);
        em.createNativeQuery("insert into erasure_applied (erasure_id, referrals, applied_at) values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, erasureId).setParameter(2, referrals.size()).setParameter(3, OffsetDateTime.now(ZoneOffset.UTC)).executeUpdate();
        audit.recordAs("screening.erasures.v1", "system", AuditTrail.Action.UPDATE, "erasure", erasureId.toString(), null,
                "student erased: " + referrals.size() + " referrals de-identified, identity key destroyed: " + (keysDestroyed > 0));
    }

    /** A random key of the same shape: the episode stays countable, and belongs to nobody. */
    static String tombstone() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
