package cn.xinqiao.screening.casework;

import cn.xinqiao.screening.domain.Procedure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import cn.xinqiao.screening.riskqueue.RiskCase;

import java.util.List;
import java.util.UUID;

/**
 * The procedure's clocks: an open step (or follow-up) past its deadline is flagged for the school admin, and after the procedure's
 * {@code bureauAfter} for the county bureau as well (no identity: the bureau sees the school, the level and the
 * step). Each escalation happens once: the steps are claimed {@code for update skip locked}, so replicas running
 * this at once never flag a step twice. {@link #check(OffsetDateTime)} takes the time so tests can move it.
 */
@ApplicationScoped
public class CaseClocks {

    private static final Logger LOG = Logger.getLogger(CaseClocks.class);
    private static final java.time.ZoneId CHINA = java.time.ZoneId.of("Asia/Shanghai");

    /** Steps flagged in one pass. */
    public record Pass(int schoolAdmin, int bureau) {
    }

    @Inject
    EntityManager em;

    @Inject
    ProcedureCatalog procedures;

    @Inject
    CaseworkEvents events;

    @Scheduled(every = "${xinqiao.case-clock.every:30s}", delayed = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            Pass pass = check(OffsetDateTime.now(ZoneOffset.UTC));
            if (pass.schoolAdmin() + pass.bureau() > 0) {
                LOG.infof("procedure clocks: %d steps overdue for the school admin, %d for the bureau", pass.schoolAdmin(), pass.bureau());
            }
        } catch (RuntimeException e) {
            LOG.warnf("procedure clocks failed (%s); next pass retries", e.getClass().getSimpleName());
        }
    }

    public Pass check(OffsetDateTime now) {
        Procedure procedure = procedures.procedure();
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> due = em.createNativeQuery("""
                            select case_id, code, due_at, school_admin_alerted_at, critical from case_step
                            where outcome is null and due_at <= ?1
                              and (school_admin_alerted_at is null or (bureau_alerted_at is null and due_at <= ?2))
                            order by due_at limit 500 for update skip locked""")
                    .setParameter(1, now).setParameter(2, now.minus(procedure.bureauAfter())).getResultList();
            int schoolAdmin = 0;
            int bureau = 0;
            for (Object[] row : due) {
                OffsetDateTime dueAt = time(row[2]);
                Procedure.Escalation level = procedure.escalation(dueAt, false, now);
                RiskCase rc = em.find(RiskCase.class, row[0]);
                Boolean critical = (Boolean) row[4];
                if (row[3] == null) {
                    em.createNativeQuery("update case_step set school_admin_alerted_at = ?3 where case_id = ?1 and code = ?2")
                            .setParameter(1, row[0]).setParameter(2, row[1]).setParameter(3, now).executeUpdate();
                    events.stepOverdue(rc, (String) row[1], dueAt, critical, CaseworkEvents.EscalatedTo.SCHOOL_ADMIN, now);
                    schoolAdmin++;
                }
                if (level == Procedure.Escalation.BUREAU) {
                    em.createNativeQuery("update case_step set bureau_alerted_at = ?3 where case_id = ?1 and code = ?2")
                            .setParameter(1, row[0]).setParameter(2, row[1]).setParameter(3, now).executeUpdate();
                    events.stepOverdue(rc, (String) row[1], dueAt, critical, CaseworkEvents.EscalatedTo.BUREAU, now);
                    bureau++;
                }
            }
            // a follow-up is due by the end of its day (China time) and escalates the same way
            @SuppressWarnings("unchecked")
            List<Object[]> late = em.createNativeQuery("""
                            select id, due_on, school_admin_alerted_at, case_id, by_whom from follow_up
                            where outcome is null and due_on < ?1
                              and (school_admin_alerted_at is null or (bureau_alerted_at is null and due_on < ?2))
                            order by due_on limit 500 for update skip locked""")
                    .setParameter(1, now.atZoneSameInstant(CHINA).toLocalDate())
                    .setParameter(2, now.minus(procedure.bureauAfter()).atZoneSameInstant(CHINA).toLocalDate()).getResultList();
            for (Object[] row : late) {
                java.time.LocalDate dueOn = row[1] instanceof java.time.LocalDate d ? d : ((java.sql.Date) row[1]).toLocalDate();
                OffsetDateTime dueAt = dueOn.plusDays(1).atStartOfDay(CHINA).toOffsetDateTime();
                RiskCase rc = em.find(RiskCase.class, row[3]);
                UUID followUpId = (UUID) row[0];
                if (row[2] == null) {
                    em.createNativeQuery("update follow_up set school_admin_alerted_at = ?2 where id = ?1")
                            .setParameter(1, row[0]).setParameter(2, now).executeUpdate();
                    events.followUpOverdue(rc, followUpId, dueOn, (String) row[4], CaseworkEvents.EscalatedTo.SCHOOL_ADMIN, now);
                    schoolAdmin++;
                }
                if (procedure.escalation(dueAt, false, now) == Procedure.Escalation.BUREAU) {
                    em.createNativeQuery("update follow_up set bureau_alerted_at = ?2 where id = ?1")
                            .setParameter(1, row[0]).setParameter(2, now).executeUpdate();
                    events.followUpOverdue(rc, followUpId, dueOn, (String) row[4], CaseworkEvents.EscalatedTo.BUREAU, now);
                    bureau++;
                }
            }
            return new Pass(schoolAdmin, bureau);
        });
    }

    /** A timestamptz as a native query returns it (the driver and Hibernate version decide the type). */
    static OffsetDateTime time(Object value) {
        if (value instanceof OffsetDateTime o) {
            return o;
        }
        if (value instanceof java.time.Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        return ((java.sql.Timestamp) value).toInstant().atOffset(ZoneOffset.UTC);
    }
}
