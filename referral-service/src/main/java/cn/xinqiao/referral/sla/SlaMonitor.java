package cn.xinqiao.referral.sla;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * The green channel's clocks. Deadlines are stored on the referral, so a restart loses nothing; each overdue
 * referral is escalated in its own transaction under a row lock and re-checked there, so several replicas
 * running this at once escalate it exactly once. {@link #check(OffsetDateTime)} takes the time so tests can
 * move the clock.
 */
@ApplicationScoped
public class SlaMonitor {

    private static final Logger LOG = Logger.getLogger(SlaMonitor.class);

    public record Pass(int acknowledgeEscalations, int visitEscalations, int routed) {
    }

    @Inject
    EntityManager em;

    @Inject
    SlaEscalations escalations;

    @Scheduled(every = "${xinqiao.sla.check-every}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            Pass pass = check(OffsetDateTime.now(ZoneOffset.UTC));
            if (pass.acknowledgeEscalations() + pass.visitEscalations() + pass.routed() > 0) {
                LOG.infof("SLA pass: %s", pass);
            }
        } catch (RuntimeException e) {
            LOG.warnf("SLA pass failed: %s", e.getClass().getName());
        }
    }

    public Pass check(OffsetDateTime now) {
        int ack = 0;
        for (UUID id : due("r.open = true and r.status = 'requested' and r.hospitalId is not null "
                + "and r.acknowledgeEscalatedAt is null and r.acknowledgeDueAt <= :now", now)) {
            if (QuarkusTransaction.requiringNew().call(() -> escalations.acknowledgeOverdue(id, now))) {
                ack++;
            }
        }
        int visit = 0;
        for (UUID id : due("r.open = true and r.hospitalId is not null and r.completedAt is null "
                + "and r.visitEscalatedAt is null and r.visitDueAt <= :now", now)) {
            if (QuarkusTransaction.requiringNew().call(() -> escalations.visitOverdue(id, now))) {
                visit++;
            }
        }
        int routed = 0;
        for (UUID id : due("r.open = true and r.hospitalId is null and r.createdAt <= :now", now)) {
            if (QuarkusTransaction.requiringNew().call(() -> escalations.retryRoute(id, now))) {
                routed++;
            }
        }
        return new Pass(ack, visit, routed);
    }

    private List<UUID> due(String where, OffsetDateTime now) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery("select r.id from Referral r where " + where
                        + " order by r.riskRank desc, r.firstRequestedAt", UUID.class)
                .setParameter("now", now).setMaxResults(500).getResultList());
    }
}
