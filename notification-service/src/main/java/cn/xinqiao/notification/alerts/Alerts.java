package cn.xinqiao.notification.alerts;

import cn.xinqiao.notification.delivery.Deliveries;
import cn.xinqiao.notification.domain.AlertSpec;
import cn.xinqiao.notification.domain.Ladder;
import cn.xinqiao.notification.domain.OnCall;
import cn.xinqiao.notification.domain.Severity;
import cn.xinqiao.notification.oncall.Orgs;
import cn.xinqiao.notification.oncall.Rotas;
import cn.xinqiao.platform.id.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Alerts and their ladder. {@link #raise} runs in the consuming event's inbox transaction: the alert, its first
 * notification and that person's first delivery commit with the event's inbox row, so a redelivered event finds
 * the inbox row and raises nothing. {@link #climb} takes one step in one transaction (the alert row locked): the
 * step's notification and the alert's new step commit together, so a restart neither loses nor repeats a step.
 */
@ApplicationScoped
public class Alerts {

    private static final Logger LOG = Logger.getLogger(Alerts.class);

    @Inject
    EntityManager em;

    @Inject
    Rotas rotas;

    @Inject
    Deliveries deliveries;

    @Inject
    NotificationStream stream;

    @ConfigProperty(name = "xinqiao.notify.ladder-window")
    Duration window;

    /** Raises the alert once per (event, organisation) and tells its first person. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<UUID> raise(UUID sourceEventId, AlertSpec spec, OffsetDateTime occurredAt, OffsetDateTime now) {
        @SuppressWarnings("unchecked")
        List<UUID> inserted = em.createNativeQuery("""
                        insert into alert (id, source_event_id, kind, severity, org_kind, org_id, district_code, title, link, subject,
                                           created_at, occurred_at, step)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0)
                        on conflict (source_event_id, org_id) do nothing returning id""", UUID.class)
                .setParameter(1, Ids.timeOrdered()).setParameter(2, sourceEventId).setParameter(3, spec.kind())
                .setParameter(4, spec.severity().name()).setParameter(5, spec.orgKind().name()).setParameter(6, spec.orgId())
                .setParameter(7, spec.districtCode()).setParameter(8, spec.title()).setParameter(9, spec.link())
                .setParameter(10, spec.subject()).setParameter(11, now).setParameter(12, occurredAt).getResultList();
        if (inserted.isEmpty()) {
            return Optional.empty();
        }
        UUID id = inserted.get(0);
        tell(id, spec.orgId(), spec.districtCode(), spec.severity(), 0, now);
        return Optional.of(id);
    }

    /** The next step of an unacknowledged CRITICAL alert whose window has passed; false if it was not due (or is gone). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean climb(UUID alertId, OffsetDateTime now) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select org_id, district_code, severity, step from alert
                        where id = ?1 and acked_at is null and next_step_at <= ?2 for update skip locked""")
                .setParameter(1, alertId).setParameter(2, now).getResultList();
        if (rows.isEmpty()) {
            return false;
        }
        Object[] a = rows.get(0);
        tell(alertId, (String) a[0], (String) a[1], Severity.valueOf((String) a[2]), ((Number) a[3]).intValue() + 1, now);
        return true;
    }

    /** Tells the next person on the ladder (if anyone is left) and sets when the step after this one is due. */
    private void tell(UUID alertId, String orgId, String districtCode, Severity severity, int step, OffsetDateTime now) {
        OnCall org = rotas.onCall(orgId, now.toInstant());
        OnCall bureau = Orgs.bureausAbove(districtCode, orgId).stream().map(rotas::find).flatMap(Optional::stream)
                .map(Rotas.Stored::onCall).findFirst().orElse(null);
        @SuppressWarnings("unchecked")
        List<String> told = em.createNativeQuery("select recipient from notification where alert_id = ?1").setParameter(1, alertId).getResultList();
        Set<String> already = new HashSet<>(told);
        Optional<Ladder.Next> next = Ladder.next(org, bureau, already, now.toInstant());
        if (next.isEmpty()) {
            // nobody told yet: try again after a window (someone may come on call, or the list may be set up);
            // somebody told and nobody left: the ladder has ended
            em.createNativeQuery("update alert set next_step_at = ?2 where id = ?1").setParameter(1, alertId)
                    .setParameter(2, already.isEmpty() ? now.plus(window) : null).executeUpdate();
            if (already.isEmpty()) {
                LOG.warnf("alert %s (%s) has nobody to tell yet: %s has no one on call, no lead and no bureau duty officer; retrying in %s",
                        alertId, severity, orgId, window);
            }
            return;
        }
        UUID notification = Ids.timeOrdered();
        em.createNativeQuery("insert into notification (id, alert_id, step, rung, recipient, created_at) values (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, notification).setParameter(2, alertId).setParameter(3, step).setParameter(4, next.get().rung().name())
                .setParameter(5, next.get().recipient()).setParameter(6, now).executeUpdate();
        em.createNativeQuery("update alert set step = ?2, next_step_at = ?3 where id = ?1").setParameter(1, alertId).setParameter(2, step)
                .setParameter(3, severity == Severity.CRITICAL ? now.plus(window) : null).executeUpdate();
        deliveries.plan(notification, next.get().recipient(), orgId, severity, now);
        stream.afterCommit();
    }

    /**
     * The thing the alert was about has been handled where it happens (the hospital accepted or declined the referral,
     * the school recorded the step): open alerts about it stop climbing and their unsent messages are cancelled,
     * recorded as acknowledged by what happened (e.g. {@code referral:accepted}). A subject ending in {@code :*} means every
     * subject under it ({@code <case>:*}: each step and follow-up of the case). Returns how many were resolved.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int resolve(String subject, java.util.Collection<String> kinds, String by, OffsetDateTime now) {
        boolean under = subject.endsWith(":*");
        String exact = under ? subject.substring(0, subject.length() - 1) : subject;
        @SuppressWarnings("unchecked")
        List<UUID> open = em.createNativeQuery("""
                        update alert set acked_at = ?3, acked_by = ?4, next_step_at = null
                        where (subject = ?1 or (?5 and left(subject, length(?1)) = ?1)) and kind = any(?2) and acked_at is null
                        returning id""", UUID.class)
                .setParameter(1, exact).setParameter(2, kinds.toArray(String[]::new)).setParameter(3, now).setParameter(4, by)
                .setParameter(5, under).getResultList();
        if (!open.isEmpty()) {
            em.createNativeQuery("""
                            update delivery set status = 'CANCELLED', finished_at = ?2, code = 'resolved'
                            where status = 'PENDING' and notification_id in (select id from notification where alert_id = any(?1))""")
                    .setParameter(1, open.toArray(UUID[]::new)).setParameter(2, now).executeUpdate();
        }
        return open.size();
    }

    /**
     * Acknowledges the alert through one of its notifications: the ladder stops and outside messages not yet sent are
     * cancelled. Acknowledging again changes nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void acknowledge(UUID notificationId, UUID alertId, String by, OffsetDateTime now) {
        em.createNativeQuery("update notification set acked_at = ?2 where id = ?1 and acked_at is null")
                .setParameter(1, notificationId).setParameter(2, now).executeUpdate();
        int changed = em.createNativeQuery("update alert set acked_at = ?2, acked_by = ?3, next_step_at = null where id = ?1 and acked_at is null")
                .setParameter(1, alertId).setParameter(2, now).setParameter(3, by).executeUpdate();
        if (changed > 0) {
            em.createNativeQuery("""
                            update delivery set status = 'CANCELLED', finished_at = ?2, code = 'acknowledged'
                            where status = 'PENDING' and notification_id in (select id from notification where alert_id = ?1)""")
                    .setParameter(1, alertId).setParameter(2, now).executeUpdate();
        }
    }
}
