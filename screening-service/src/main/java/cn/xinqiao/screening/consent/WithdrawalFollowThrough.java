package cn.xinqiao.screening.consent;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.UUID;

/**
 * A withdrawal that had to keep a student's year for their safety (an open case or referral) is carried through once
 * that has closed: every hour each such withdrawal is tried again, and the year's answers and closed cases are
 * erased as they would have been at once. The withdrawal then records that it is done.
 */
@ApplicationScoped
public class WithdrawalFollowThrough {

    private static final Logger LOG = Logger.getLogger(WithdrawalFollowThrough.class);

    @Inject
    EntityManager em;

    @Inject
    ConsentWithdrawal withdrawal;

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void hourly() {
        try {
            carryThrough();
        } catch (RuntimeException e) {
            LOG.warnf("withdrawals kept for safety could not be carried through now: %s", e.getClass().getSimpleName());
        }
    }

    /** Erases each kept year whose safety reason has gone; returns how many withdrawals were completed. */
    public int carryThrough() {
        @SuppressWarnings("unchecked")
        List<Object[]> kept = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                select g.id, g.student_id, g.school_id, g.school_year from guardian_consent g
                where g.decision = 'WITHDRAWN' and g.retained_for_safety is not null and g.retained_for_safety not like 'released%'
                  and not exists (select 1 from guardian_consent later where later.student_id = g.student_id
                                  and later.school_year = g.school_year and later.recorded_at > g.recorded_at)
                limit 500""").getResultList());
        int done = 0;
        for (Object[] row : kept) {
            UUID consentId = (UUID) row[0];
            boolean released = QuarkusTransaction.requiringNew().call(() -> {
                ConsentWithdrawal.Outcome outcome = withdrawal.apply((UUID) row[1], (String) row[2], ((Number) row[3]).intValue(),
                        "withdrawal-follow-through", "system");
                if (outcome.retainedForSafety() != null) {
                    return false;
                }
                em.createNativeQuery("update guardian_consent set retained_for_safety = 'released ' || now()::date || ': erased '"
                                + " || ?2 || ' submissions, ' || ?3 || ' cases' where id = ?1")
                        .setParameter(1, consentId).setParameter(2, outcome.submissionsErased()).setParameter(3, outcome.casesErased())
                        .executeUpdate();
                return true;
            });
            done += released ? 1 : 0;
        }
        return done;
    }
}
