package cn.xinqiao.notification.delivery;

import cn.xinqiao.notification.domain.Backoff;
import cn.xinqiao.notification.domain.Severity;
import cn.xinqiao.notification.oncall.Rotas;
import cn.xinqiao.notification.preferences.ContactPreferences;
import cn.xinqiao.notification.preferences.ContactPreferences.ChannelId;
import cn.xinqiao.notification.preferences.ContactPreferences.Preference;
import cn.xinqiao.platform.id.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The delivery log and its rules: a notification's outside messages go to the person's channels in their order;
 * each channel gets {@code xinqiao.notify.attempts} attempts with doubling backoff, then the next channel takes over
 * (at once when the failure is permanent); a channel that cannot reach the person is logged as such and skipped.
 * Non-critical messages wait for the end of the person's quiet hours. Every attempt is a row.
 */
@ApplicationScoped
public class Deliveries {

    @Inject
    EntityManager em;

    @Inject
    ContactPreferences preferences;

    @Inject
    Rotas rotas;

    @Inject
    Instance<Channel> channels;

    @ConfigProperty(name = "xinqiao.notify.attempts")
    int attempts;

    @ConfigProperty(name = "xinqiao.notify.backoff")
    Duration backoff;

    /** One claimed attempt, sent outside any transaction. */
    public record Claim(UUID deliveryId, UUID notificationId, ChannelId channel, int attempt) {
    }

    Map<ChannelId, Channel> byId() {
        Map<ChannelId, Channel> map = new EnumMap<>(ChannelId.class);
        channels.forEach(c -> map.put(c.id(), c));
        return map;
    }

    /** Plans the first outside message of a new notification (in the transaction that created it). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void plan(UUID notificationId, String recipient, String orgId, Severity severity, OffsetDateTime now) {
        Preference p = preferences.of(recipient);
        OffsetDateTime due = p.quiet().releaseAt(now.toInstant(), severity).atOffset(ZoneOffset.UTC);
        next(notificationId, p, recipient(p, orgId), null, due, now);
    }

    /** The first reachable channel after {@code after} (null: from the start) gets attempt 1; unreachable ones are logged. */
    private void next(UUID notificationId, Preference p, Channel.Recipient who, ChannelId after, OffsetDateTime due, OffsetDateTime now) {
        List<ChannelId> order = p.channels();
        int from = after == null ? 0 : order.indexOf(after) + 1;
        Map<ChannelId, Channel> all = byId();
        for (int i = from; i < order.size(); i++) {
            Channel channel = all.get(order.get(i));
            Optional<String> why = channel.unreachable(who);
            if (why.isPresent()) {
                insert(notificationId, channel.id(), 1, "FAILED", now, now, why.get());
                continue;
            }
            insert(notificationId, channel.id(), 1, "PENDING", due, null, null);
            return;
        }
    }

    private void insert(UUID notificationId, ChannelId channel, int attempt, String status, OffsetDateTime due, OffsetDateTime finished, String code) {
        em.createNativeQuery("""
                        insert into delivery (id, notification_id, channel, attempt, status, due_at, finished_at, code)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) on conflict do nothing""")
                .setParameter(1, Ids.timeOrdered()).setParameter(2, notificationId).setParameter(3, channel.name())
                .setParameter(4, attempt).setParameter(5, status).setParameter(6, due).setParameter(7, finished)
                .setParameter(8, code).executeUpdate();
    }

    Channel.Recipient recipient(Preference p, String orgId) {
        String robot = rotas.find(orgId).map(Rotas.Stored::wecomRobotKey).orElse(null);
        return new Channel.Recipient(p.username(), p.email(), p.mobile(), robot);
    }

    /** Claims due attempts of unacknowledged alerts ({@code SENDING}); committed before anything is sent. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Claim> claim(OffsetDateTime now, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        update delivery set status = 'SENDING', started_at = ?1
                        where id in (select d.id from delivery d where d.status = 'PENDING' and d.due_at <= ?1
                                     order by d.due_at limit ?2 for update skip locked)
                        returning id, notification_id, channel, attempt""")
                .setParameter(1, now).setParameter(2, limit).getResultList();
        return rows.stream().map(r -> new Claim((UUID) r[0], (UUID) r[1], ChannelId.valueOf((String) r[2]), ((Number) r[3]).intValue())).toList();
    }

    /** What a claimed attempt sends: recipient and message, read fresh. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Channel.Outgoing> message(Claim c, String webUrl, java.util.function.Function<String, String> names) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select n.recipient, a.severity, a.org_id, a.title from notification n join alert a on a.id = n.alert_id
                        where n.id = ?1""").setParameter(1, c.notificationId()).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = rows.get(0);
        return Optional.of(new Channel.Outgoing(c.notificationId(), Severity.valueOf((String) r[1]), names.apply((String) r[2]), (String) r[3],
                webUrl + "/staff/ack/" + c.notificationId()));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Channel.Recipient recipientOf(Claim c) {
        Object[] r = (Object[]) em.createNativeQuery("""
                        select n.recipient, a.org_id from notification n join alert a on a.id = n.alert_id where n.id = ?1""")
                .setParameter(1, c.notificationId()).getSingleResult();
        return recipient(preferences.of((String) r[0]), (String) r[1]);
    }

    /** Records an attempt's outcome and plans what follows: a retry on the same channel, or the next channel. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(Claim c, Channel.Outcome outcome, OffsetDateTime now) {
        String status = outcome instanceof Channel.Outcome.Sent ? "SENT" : outcome instanceof Channel.Outcome.Retry ? "RETRY" : "FAILED";
        int updated = em.createNativeQuery("update delivery set status = ?2, finished_at = ?3, code = ?4 where id = ?1 and status = 'SENDING'")
                .setParameter(1, c.deliveryId()).setParameter(2, status).setParameter(3, now)
                .setParameter(4, outcome.code().length() > 80 ? outcome.code().substring(0, 80) : outcome.code()).executeUpdate();
        if (updated == 0 || outcome instanceof Channel.Outcome.Sent || acknowledged(c.notificationId())) {
            return;
        }
        Object[] r = (Object[]) em.createNativeQuery("""
                        select n.recipient, a.org_id from notification n join alert a on a.id = n.alert_id where n.id = ?1""")
                .setParameter(1, c.notificationId()).getSingleResult();
        Preference p = preferences.of((String) r[0]);
        if (outcome instanceof Channel.Outcome.Retry) {
            Optional<Duration> wait = new Backoff(attempts, backoff).before(c.attempt() + 1);
            if (wait.isPresent()) {
                insert(c.notificationId(), c.channel(), c.attempt() + 1, "PENDING", now.plus(wait.get()), null, null);
                return;
            }
        }
        next(c.notificationId(), p, recipient(p, (String) r[1]), c.channel(), now, now);
    }

    private boolean acknowledged(UUID notificationId) {
        return ((Number) em.createNativeQuery("""
                        select count(*) from notification n join alert a on a.id = n.alert_id where n.id = ?1 and a.acked_at is not null""")
                .setParameter(1, notificationId).getSingleResult()).intValue() > 0;
    }

    /**
     * Attempts left {@code SENDING} by a process that died mid-send: whether the provider got them is unknown. They are
     * marked {@code UNCERTAIN}, not sent again (the ladder still climbs if nobody acknowledges).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int settleInDoubt(OffsetDateTime before, OffsetDateTime now) {
        return em.createNativeQuery("""
                        update delivery set status = 'UNCERTAIN', finished_at = ?2, code = 'sender-stopped-mid-send'
                        where status = 'SENDING' and started_at < ?1""").setParameter(1, before).setParameter(2, now).executeUpdate();
    }
}
