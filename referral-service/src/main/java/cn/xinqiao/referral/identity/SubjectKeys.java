package cn.xinqiao.referral.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Each student's identity key, made on first use, kept wrapped; {@link #destroy} is the crypto-shredding. */
@ApplicationScoped
public class SubjectKeys {

    public record Key(UUID keyId, String studentKey, byte[] secret) {
    }

    private final SealCipher wrapper;

    @Inject
    EntityManager em;

    @Inject
    public SubjectKeys(@ConfigProperty(name = "xinqiao.identity-seal.secret") String secret) {
        this.wrapper = SealCipher.fromBase64(secret);
    }

    /** The student's key, made now if there is none (the caller's transaction). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Key keyFor(String studentKey) {
        byte[] fresh = SealCipher.newKey();
        UUID id = UUID.randomUUID();
        em.createNativeQuery("insert into subject_key (key_id, student_key, wrapped) values (?1, ?2, ?3) on conflict (student_key) do nothing")
                .setParameter(1, id).setParameter(2, studentKey).setParameter(3, wrapper.seal(fresh, context(id))).executeUpdate();
        Object[] row = (Object[]) em.createNativeQuery("select key_id, wrapped from subject_key where student_key = ?1")
                .setParameter(1, studentKey).getSingleResult();
        UUID keyId = (UUID) row[0];
        return new Key(keyId, studentKey, wrapper.open((byte[]) row[1], context(keyId)));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Key> find(UUID keyId) {
        List<?> rows = em.createNativeQuery("select student_key, wrapped from subject_key where key_id = ?1").setParameter(1, keyId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        return Optional.of(new Key(keyId, (String) row[0], wrapper.open((byte[]) row[1], context(keyId))));
    }

    /** Destroys the student's key: every message sealed with it is unreadable from now on. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int destroy(String studentKey) {
        return em.createNativeQuery("delete from subject_key where student_key = ?1").setParameter(1, studentKey).executeUpdate();
    }

    private static byte[] context(UUID keyId) {
        return ("xinqiao-subject-key:" + keyId).getBytes(StandardCharsets.UTF_8);
    }
}
