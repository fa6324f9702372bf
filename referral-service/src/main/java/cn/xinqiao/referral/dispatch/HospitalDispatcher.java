package cn.xinqiao.referral.dispatch;

import cn.xinqiao.platform.trace.Traces;
import io.opentelemetry.api.trace.SpanKind;
import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.referral.lifecycle.Referral;
import cn.xinqiao.referral.lifecycle.ReferralService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends the hospital messages that wait for identity: resolves the student through screening-service's roster
 * and hands the FHIR message to the outbox, one referral per transaction, critical first. Woken right after
 * the commit that queued a message, and polls so that other replicas' and failed attempts are picked up;
 * rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so replicas never send the same message twice.
 * If screening-service cannot answer, the attempt is retried with backoff; the referral and its SLA clock
 * are already running, so a slow roster delays the message but never loses the referral.
 */
@ApplicationScoped
public class HospitalDispatcher {

    private static final Logger LOG = Logger.getLogger(HospitalDispatcher.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** Referrals dispatched side by side (each holds a database connection while it waits for the roster). */
    static final int CONCURRENCY = 6;
    /** Referrals looked at per pass. */
    static final int PASS = 60;

    @Inject
    EntityManager em;

    @Inject
    IdentityDirectory identities;

    @Inject
    HospitalMessages messages;

    @Inject
    AuditTrail audit;

    @Inject
    ManagedExecutor executor;

    private final AtomicBoolean running = new AtomicBoolean();

    @Inject
    Traces traces;

    void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) HospitalMessages.DispatchRequested ignored) {
        executor.execute(this::tick);
    }

    @Scheduled(every = "2s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            while (dispatchDue(OffsetDateTime.now(ZoneOffset.UTC)) > 0) {
                // keep going while there is work
            }
        } catch (RuntimeException | LinkageError e) {
            // class names and frames only: a message could carry what the roster returned
            LOG.errorf("hospital dispatch pass failed: %s at %s", e.getClass().getName(),
                    e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
        } finally {
            running.set(false);
        }
    }

    /**
     * One pass over what is due; returns how many messages were sent. The referrals of a pass are dispatched
     * {@value #CONCURRENCY} at a time, each in its own transaction: a dispatch mostly waits for screening-service's
     * roster, and one at a time a city-wide screening wave queued critical students for 17 s (p50) before their
     * hospital heard of them.
     */
    public int dispatchDue(OffsetDateTime now) {
        List<UUID> due = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                        "select r.id from Referral r where r.dispatchKind is not null and r.dispatchNextAt <= :now "
                                + "order by r.riskRank desc, r.dispatchNextAt", UUID.class)
                .setParameter("now", now).setMaxResults(PASS).getResultList());
        LOG.debugf("hospital dispatch: %d due", due.size());
        Semaphore slots = new Semaphore(CONCURRENCY);
        List<CompletableFuture<Boolean>> sent = new ArrayList<>(due.size());
        for (UUID id : due) {   // critical first: a slot goes to the highest risk still waiting
            slots.acquireUninterruptibly();
            sent.add(executor.supplyAsync(() -> QuarkusTransaction.requiringNew().call(() -> dispatch(id, now)))
                    .whenComplete((ok, failure) -> slots.release()));
        }
        int count = 0;
        for (CompletableFuture<Boolean> one : sent) {
            if (one.join()) {
                count++;
            }
        }
        return count;
    }

    /**
     * Whose action this message carries out, for screening's audit of the identity it releases: the staff member who
     * raised the latest request, or the request itself (a student's own answers: {@code SCREENING:<submission>}).
     */
    private String onBehalfOf(Referral r) {
        List<?> latest = em.createNativeQuery("""
                        select coalesce(requested_by, source || ':' || source_ref) from referral_request
                        where referral_id = ?1 order by requested_at desc limit 1""").setParameter(1, r.id).getResultList();
        return latest.isEmpty() ? null : (String) latest.get(0);
    }

    private boolean dispatch(UUID id, OffsetDateTime now) {
        Referral r = em.find(Referral.class, id, LockModeType.PESSIMISTIC_WRITE,
                java.util.Map.of("jakarta.persistence.lock.timeout", -2));   // -2: SKIP LOCKED
        if (r == null || r.dispatchKind == null || r.dispatchNextAt.isAfter(now)) {
            LOG.debugf("referral %s: locked elsewhere or no longer due", id);
            return false;
        }
        // the identity lookup and the message belong to the trace of the work that owed the hospital this message
        try (Traces.Active span = traces.start("referral dispatch", SpanKind.INTERNAL, r.dispatchTraceparent)) {
            return dispatchTraced(r, now);
        }
    }

    private boolean dispatchTraced(Referral r, OffsetDateTime now) {
        StudentIdentity student;
        try {
            Optional<StudentIdentity> found = identities.find(r.studentKey, r.schoolId, r.id, onBehalfOf(r));
            if (found.isEmpty()) {
                LOG.warnf("referral %s: the roster of %s has no such student; the hospital gets the key only", r.id, r.schoolId);
            }
            student = found.orElse(new StudentIdentity(r.studentKey, r.schoolId, null, null, null, r.sex, null,
                    r.grade == null ? null : (int) r.grade, null, null, null));
        } catch (IdentityDirectory.IdentityUnavailable e) {
            r.dispatchAttempts++;
            Duration wait = Duration.ofSeconds(Math.min(MAX_BACKOFF.toSeconds(), 1L << Math.min(r.dispatchAttempts, 12)));
            r.dispatchNextAt = now.plus(wait);
            LOG.warnf("referral %s: identity not available (%s), attempt %d, retry in %ds", r.id, e.getMessage(),
                    r.dispatchAttempts, wait.toSeconds());
            return false;
        }
        String hospital = r.dispatchHospitalId;
        messages.sendPending(r, student, now);
        audit.recordAs(ReferralService.SYSTEM, "system", AuditTrail.Action.EXPORT, "referral-identity", r.id.toString(),
                r.schoolId, "green-channel message to hospital " + hospital);
        return true;
    }
}
