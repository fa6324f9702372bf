package cn.xinqiao.reporting.screening;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;

/**
 * One student erased: the rows that hold them one by one (each result, their campaign risk) go; the aggregates
 * stay as counted. The hash is remembered so that a rebuild by replay leaves them out too (see rebuild/ReadModels).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class ScreeningErasure {

    /** The per-student read models, and how a rebuild removes the erased from their rebuilt twins. */
    public static final String FORGET_IN_REBUILD = """
            delete from new_screening_result where student_hash in (select student_hash from erased_subject);
            delete from new_screened_student where student_hash in (select student_hash from erased_subject)""";

    @Inject
    EntityManager em;

    public void erase(String studentKey, OffsetDateTime erasedAt) {
        byte[] hash = StudentHash.of(studentKey);
        em.createNativeQuery("insert into erased_subject (student_hash, erased_at) values (?1, ?2) on conflict do nothing")
                .setParameter(1, hash).setParameter(2, erasedAt).executeUpdate();
        em.createNativeQuery("delete from screening_result where student_hash = ?1").setParameter(1, hash).executeUpdate();
        em.createNativeQuery("delete from screened_student where student_hash = ?1").setParameter(1, hash).executeUpdate();
    }
}
