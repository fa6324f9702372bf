package cn.xinqiao.screening.session;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The access-code failure budget, shared by every replica through PostgreSQL ({@code login_budget}). A network may
 * fail {@code failures} times in a window, plus once for each student who logged in from it in that window (up to
 * {@code earned-max}): a computer room behind one NAT address earns room for its pupils' typing, a network that
 * only guesses does not. Spending the budget locks the network out for {@code lockout}, on every replica: each reads
 * the locked networks every second, and the replica that locked it knows at once.
 *
 * <p>Nothing is written on a successful login: successes are counted in memory and added once a second, and only to
 * networks that already have a budget row (that have failed lately), so a wave of logins from homes writes nothing.
 * A failure is one statement: the network's budget, and for a known code with a wrong birth date that code's
 * attempts (a code locks after {@code code-attempts}).
 */
@ApplicationScoped
public class LoginGuard {

    private static final Logger LOG = Logger.getLogger(LoginGuard.class);

    /** Budget and code attempts in one round trip; answers when the network is locked until (null: not locked). */
    static final String FAILED_SQL = """
            with code as (
                update access_code set failed_attempts = failed_attempts + 1,
                       locked_at = case when failed_attempts + 1 >= $6 then coalesce(locked_at, now()) else locked_at end
                where code_hash = $5)
            insert into login_budget as b (network, window_start, failures, successes) values ($1, now(), 1, 0)
            on conflict (network) do update set
                window_start = case when b.window_start < now() - make_interval(secs => $2::int) then now() else b.window_start end,
                failures = case when b.window_start < now() - make_interval(secs => $2::int) then 1 else b.failures + 1 end,
                successes = case when b.window_start < now() - make_interval(secs => $2::int) then 0 else b.successes end,
                locked_until = case
                    when (case when b.window_start < now() - make_interval(secs => $2::int) then 1 else b.failures + 1 end)
                         >= $4 + least(case when b.window_start < now() - make_interval(secs => $2::int) then 0 else b.successes end, $7)
                    then now() + make_interval(secs => $3::int) else b.locked_until end
            returning locked_until""";

    static final String EARNED_SQL = """
            update login_budget b set successes = b.successes + t.n
            from unnest($1::text[], $2::int[]) as t(network, n)
            where b.network = t.network and b.window_start >= now() - make_interval(secs => $3::int)""";

    static final String RATE_SQL = """
            insert into login_rate (minute, failures, successes) values (date_trunc('minute', now()), $1, $2)
            on conflict (minute) do update set failures = login_rate.failures + excluded.failures,
                                               successes = login_rate.successes + excluded.successes""";

    private final StudentSessionConfig.Login config;
    private final Map<String, Instant> locked = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> earned = new ConcurrentHashMap<>();
    private final LongAdder failures = new LongAdder();
    private final LongAdder successes = new LongAdder();

    @Inject
    Pool pool;

    @Inject
    public LoginGuard(StudentSessionConfig config) {
        this.config = config.login();
    }

    /** How long this network must still wait ({@link Duration#ZERO}: it may try). */
    public Duration retryAfter(String network) {
        Instant until = locked.get(network);
        if (until == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(Instant.now(), until);
        if (left.isNegative() || left.isZero()) {
            locked.remove(network, until);
            return Duration.ZERO;
        }
        return left;
    }

    /** A student logged in from this network: counted now, written with the next second's batch. */
    public void succeeded(String network) {
        successes.increment();
        earned.computeIfAbsent(network, k -> new LongAdder()).increment();
    }

    /**
     * A failed attempt from this network; {@code codeHash} is the code's lookup key when the code exists but the birth
     * date was wrong (null otherwise). Completes once the failure is recorded, so the answer waits for the budget.
     */
    public Uni<Void> failed(String network, String codeHash) {
        failures.increment();
        Tuple args = Tuple.of(network, (int) config.window().toSeconds(), (int) config.lockout().toSeconds(), config.failures())
                .addString(codeHash).addInteger(config.codeAttempts()).addInteger(config.earnedMax());
        return pool.preparedQuery(FAILED_SQL).execute(args).map(rows -> {
            for (Row r : rows) {
                OffsetDateTime until = r.getOffsetDateTime(0);
                if (until != null && until.toInstant().isAfter(Instant.now())) {
                    locked.put(network, until.toInstant());
                }
            }
            return (Void) null;
        }).onFailure().recoverWithItem(e -> {
            LOG.warnf("could not record a failed access-code login: %s", e.getClass().getSimpleName());
            return null;
        });
    }

    /** Every replica's locks, and this replica's successes and counts, once a second. */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> share() {
        List<String> networks = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (String network : List.copyOf(earned.keySet())) {
            LongAdder n = earned.remove(network);
            if (n != null) {
                networks.add(network);
                counts.add(n.intValue());
            }
        }
        long f = failures.sumThenReset();
        long s = successes.sumThenReset();
        Uni<Void> earnedWrite = networks.isEmpty() ? Uni.createFrom().voidItem()
                : pool.preparedQuery(EARNED_SQL).execute(Tuple.of(networks.toArray(String[]::new), counts.toArray(Integer[]::new),
                        (int) config.window().toSeconds())).replaceWithVoid();
        Uni<Void> rate = f == 0 && s == 0 ? Uni.createFrom().voidItem()
                : pool.preparedQuery(RATE_SQL).execute(Tuple.of((int) f, (int) s)).replaceWithVoid();
        Uni<Void> read = pool.query("select network, locked_until from login_budget where locked_until > now()").execute()
                .map(rows -> {
                    Map<String, Instant> now = new ConcurrentHashMap<>();
                    rows.forEach(r -> now.put(r.getString(0), r.getOffsetDateTime(1).toInstant()));
                    locked.keySet().retainAll(now.keySet());
                    locked.putAll(now);
                    return null;
                });
        return Uni.combine().all().unis(earnedWrite, rate, read).discardItems()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("could not share the login budget: %s", e.getClass().getSimpleName());
                    return null;
                });
    }

    /** Budgets of networks quiet for a day, and a week's per-minute counts, are dropped. */
    @Scheduled(every = "10m", delayed = "1m")
    Uni<Void> prune() {
        return pool.query("""
                        delete from login_budget where window_start < now() - interval '1 day'
                          and (locked_until is null or locked_until < now())""").execute()
                .chain(() -> pool.query("delete from login_rate where minute < now() - interval '7 days'").execute())
                .replaceWithVoid().onFailure().recoverWithItem(e -> null);
    }
}
