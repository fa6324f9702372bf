package cn.xinqiao.notification.alerts;

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

/** Climbs every unacknowledged CRITICAL alert whose window has passed, one step each, one transaction per step. */
@ApplicationScoped
public class LadderWorker {

    private static final Logger LOG = Logger.getLogger(LadderWorker.class);

    @Inject
    EntityManager em;

    @Inject
    Alerts alerts;

    @Scheduled(every = "${xinqiao.notify.tick}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            climbDue(OffsetDateTime.now(ZoneOffset.UTC));
        } catch (RuntimeException e) {
            LOG.warnf("ladder pass failed (%s); next tick retries", e.getClass().getSimpleName());
        }
    }

    /** Returns how many alerts took a step. */
    public int climbDue(OffsetDateTime now) {
        @SuppressWarnings("unchecked")
        List<UUID> due = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "select id from alert where acked_at is null and next_step_at <= ?1 order by next_step_at limit 200", UUID.class)
                .setParameter(1, now).getResultList());
        int climbed = 0;
        for (UUID id : due) {
            if (QuarkusTransaction.requiringNew().call(() -> alerts.climb(id, now))) {
                climbed++;
            }
        }
        return climbed;
    }
}
