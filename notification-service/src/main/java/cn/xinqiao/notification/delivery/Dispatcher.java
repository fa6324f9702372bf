package cn.xinqiao.notification.delivery;

import cn.xinqiao.notification.directory.OrgNames;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends what is due: claims attempts (committed as {@code SENDING}), sends each outside any transaction, records
 * the outcome. Replicas share the work through {@code for update skip locked}.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    @Inject
    Deliveries deliveries;

    @Inject
    OrgNames names;

    @ConfigProperty(name = "xinqiao.notify.web-url")
    String webUrl;

    @ConfigProperty(name = "xinqiao.notify.in-doubt-after")
    Duration inDoubtAfter;

    @Scheduled(every = "${xinqiao.notify.tick}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            int uncertain = QuarkusTransaction.requiringNew().call(() -> deliveries.settleInDoubt(now.minus(inDoubtAfter), now));
            if (uncertain > 0) {
                LOG.warnf("%d deliveries were being sent when a sender stopped; marked UNCERTAIN, not resent", uncertain);
            }
            while (dispatch(OffsetDateTime.now(ZoneOffset.UTC)) > 0) {
                // keep going while there is a backlog
            }
        } catch (RuntimeException e) {
            LOG.warnf("dispatch failed (%s); next tick retries", e.getClass().getSimpleName());
        }
    }

    /** One round: up to 50 due attempts. Returns how many were attempted. */
    public int dispatch(OffsetDateTime now) {
        List<Deliveries.Claim> claims = QuarkusTransaction.requiringNew().call(() -> deliveries.claim(now, 50));
        Map<?, Channel> channels = deliveries.byId();
        for (Deliveries.Claim c : claims) {
            Optional<Channel.Outgoing> message = QuarkusTransaction.requiringNew().call(() -> deliveries.message(c, webUrl, names::name));
            Channel.Recipient who = QuarkusTransaction.requiringNew().call(() -> deliveries.recipientOf(c));
            Channel.Outcome outcome = message.isEmpty() ? new Channel.Outcome.Failed("gone")
                    : channels.get(c.channel()).send(who, message.get());
            QuarkusTransaction.requiringNew().run(() -> deliveries.record(c, outcome, OffsetDateTime.now(ZoneOffset.UTC)));
        }
        return claims.size();
    }
}
