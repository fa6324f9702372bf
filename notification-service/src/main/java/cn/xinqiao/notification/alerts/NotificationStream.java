package cn.xinqiao.notification.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live bell: each open staff page holds a Server-Sent Events stream; after each commit that wrote a notification
 * (on this replica), and every second in any case, this replica looks for
 * notifications created in the last {@link #LOOK_BACK} for the people connected to it and sends each one once. Looking
 * back (rather than after the last id seen) catches a notification written on another replica whose transaction
 * committed late; the ids already sent are remembered for longer than the look-back. A comment every 20 s keeps
 * proxies from closing an idle stream, and finds streams the browser has left.
 */
@ApplicationScoped
public class NotificationStream {

    private static final Logger LOG = Logger.getLogger(NotificationStream.class);
    static final Duration LOOK_BACK = Duration.ofSeconds(15);
    private static final Duration HEARTBEAT = Duration.ofSeconds(20);

    private record Subscriber(String username, SseEventSink sink, Sse sse) {
    }

    private final Map<String, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> sent = new ConcurrentHashMap<>();
    private volatile Instant lastHeartbeat = Instant.now();

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    jakarta.transaction.TransactionSynchronizationRegistry transactions;

    private final java.util.concurrent.ExecutorService waker = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "notification-stream-wake");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.atomic.AtomicBoolean wakeQueued = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * A notification was written in the current transaction: once it commits, look at once instead of at the next
     * poll (the poll still covers notifications written on other replicas).
     */
    public void afterCommit() {
        if (subscribers.isEmpty()) {
            return;
        }
        transactions.registerInterposedSynchronization(new jakarta.transaction.Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == jakarta.transaction.Status.STATUS_COMMITTED && wakeQueued.compareAndSet(false, true)) {
                    waker.execute(() -> {
                        wakeQueued.set(false);
                        poll();
                    });
                }
            }
        });
    }

    public void subscribe(String username, SseEventSink sink, Sse sse) {
        Subscriber s = new Subscriber(username, sink, sse);
        subscribers.computeIfAbsent(username, k -> ConcurrentHashMap.newKeySet()).add(s);
        send(s, sse.newEventBuilder().comment("connected").build());
    }

    @Scheduled(every = "${xinqiao.notify.stream-poll:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void poll() {
        Instant now = Instant.now();
        sent.entrySet().removeIf(e -> e.getValue().isBefore(now.minus(LOOK_BACK.multipliedBy(4))));
        if (subscribers.isEmpty()) {
            return;
        }
        try {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(NotificationView.SELECT
                            + " where n.created_at >= ?1 and n.recipient = any(?2) order by n.seq limit 500")
                    .setParameter(1, OffsetDateTime.ofInstant(now.minus(LOOK_BACK), ZoneOffset.UTC))
                    .setParameter(2, subscribers.keySet().toArray(String[]::new)).getResultList());
            for (Object[] row : rows) {
                NotificationView view = NotificationView.of(row);
                if (sent.putIfAbsent(view.id(), now) != null) {
                    continue;
                }
                for (Subscriber s : subscribers.getOrDefault(view.recipient(), Set.of())) {
                    send(s, s.sse().newEventBuilder().name("notification").id(view.id().toString()).data(text(view)).build());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("notification stream poll failed (%s)", e.getClass().getSimpleName());
        }
        if (Duration.between(lastHeartbeat, now).compareTo(HEARTBEAT) >= 0) {
            lastHeartbeat = now;
            subscribers.values().forEach(set -> set.forEach(s -> send(s, s.sse().newEventBuilder().comment("ping").build())));
        }
    }

    private void send(Subscriber s, OutboundSseEvent event) {
        if (s.sink().isClosed()) {
            drop(s);
            return;
        }
        s.sink().send(event).whenComplete((ok, failure) -> {
            if (failure != null) {
                drop(s);
            }
        });
    }

    private void drop(Subscriber s) {
        Set<Subscriber> set = subscribers.get(s.username());
        if (set != null) {
            set.remove(s);
            if (set.isEmpty()) {
                subscribers.remove(s.username(), set);
            }
        }
        try {
            s.sink().close();
        } catch (RuntimeException ignored) {
            // already closed by the client
        }
    }

    private String text(NotificationView view) {
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
