package cn.xinqiao.screening.session;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.screening.domain.AccessCodes;
import cn.xinqiao.screening.domain.LoginThrottle;
import cn.xinqiao.screening.session.StudentSessionConfig;
import cn.xinqiao.screening.session.StudentSessionTokens;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Access-code login. Reads only (code → student + campaign + what is already done, one round trip) and signs
 * a short-lived HS256 token bound to that student and campaign: nothing is written on this hot path, so a
 * city-wide wave of logins costs one indexed read and a microsecond of HMAC each. A used code logs in again
 * (to resume) until the campaign closes.
 *
 * <p>The read goes through the reactive PostgreSQL client, so a login never leaves the event loop: no worker
 * thread hand-off and no JDBC pool on the path that a whole city hits at once (the rest of the service, with
 * its transactions, stays on JDBC). Logins that arrive together are read together ({@link GroupRead}: one query
 * for the codes of all of them), so in a login wave the database answers one query per several students.
 */
@ApplicationScoped
public class StudentSessionService {

    public record Session(String token, OffsetDateTime expiresAt, UUID campaignId, String campaignName,
                          List<String> instruments, List<String> completed) {
    }

    /** What one indexed read of the access code yields. */
    record LoginRow(UUID studentId, UUID campaignId, String schoolId, String campaignName, String[] instruments,
                    OffsetDateTime opensAt, OffsetDateTime closesAt, String[] completed) {
    }

    /** The codes' students, schools, campaigns and what each has completed: one indexed read for a batch of codes. */
    static final String LOGIN_SQL = """
            select a.code, a.student_id, a.campaign_id, s.school_id, c.name, c.instruments, c.opens_at, c.closes_at,
                   array(select x.instrument_id from submission x
                         where x.campaign_id = a.campaign_id and x.student_id = a.student_id and x.status = 'COUNTED')
            from access_code a join student s on s.id = a.student_id join campaign c on c.id = a.campaign_id
            where a.code = any($1)""";

    private final StudentSessionConfig config;
    private final LoginThrottle throttle;
    /**
     * One group read per event loop: a batch's answer arrives on the loop that sent it, and every login it carries
     * answers from that same loop, so no response is handed across threads (a wake-up of another loop each).
     */
    private final ThreadLocal<GroupRead<String, LoginRow>> reads;
    private final List<GroupRead<String, LoginRow>> allReads = new CopyOnWriteArrayList<>();

    @Inject
    StudentSessionTokens tokens;

    @Inject
    Pool pool;

    @Inject
    public StudentSessionService(StudentSessionConfig config) {
        this.config = config;
        this.throttle = new LoginThrottle(config.login().maxFailures(), config.login().window(), config.login().lockout(),
                Clock.systemUTC());
        this.reads = ThreadLocal.withInitial(() -> {
            GroupRead<String, LoginRow> loop = new GroupRead<>(this::find, config.login().readsInFlight(), config.login().readBatch());
            allReads.add(loop);
            return loop;
        });
    }

    public Uni<Session> login(String typedCode, String client) {
        Duration wait = throttle.retryAfter(client);
        if (!wait.isZero()) {
            return Uni.createFrom().failure(Problem.tooManyRequests("too many wrong access codes from this network; try again in "
                    + Math.max(1, wait.toMinutes()) + " min / 尝试次数过多，请稍后再试"));
        }
        String code = AccessCodes.normalise(typedCode);
        Uni<LoginRow> row = code == null ? Uni.createFrom().nullItem() : reads.get().read(code);
        return row.map(r -> session(r, client));
    }

    private Session session(LoginRow row, String client) {
        if (row == null) {
            throttle.failed(client);
            throw new Problem(401, "invalid-access-code", "Invalid access code",
                    "this access code is not valid; check it with your teacher / 访问码无效，请向老师核对", List.of());
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (now.isBefore(row.opensAt())) {
            throw Problem.conflict("campaign-not-open", "the screening has not started yet / 筛查尚未开始");
        }
        if (!now.isBefore(row.closesAt())) {
            throw Problem.conflict("campaign-closed", "the screening has ended / 筛查已结束");
        }
        OffsetDateTime expires = now.plus(config.lifetime());
        if (expires.isAfter(row.closesAt())) {
            expires = row.closesAt();
        }
        String token = tokens.sign(row.studentId(), row.campaignId(), row.schoolId(), now.toInstant(), expires.toInstant());
        return new Session(token, expires, row.campaignId(), row.campaignName(), List.of(row.instruments()), List.of(row.completed()));
    }

    /** {@link #LOGIN_SQL} for one batch of codes: one round trip. */
    private Uni<Map<String, LoginRow>> find(List<String> codes) {
        return pool.preparedQuery(LOGIN_SQL).execute(Tuple.tuple().addArrayOfString(codes.toArray(String[]::new))).map(rows -> {
            Map<String, LoginRow> found = new HashMap<>(2 * rows.size());
            for (Row r : rows) {
                found.put(r.getString(0), new LoginRow(r.getUUID(1), r.getUUID(2), r.getString(3), r.getString(4),
                        r.getArrayOfStrings(5), r.getOffsetDateTime(6), r.getOffsetDateTime(7), r.getArrayOfStrings(8)));
            }
            return found;
        });
    }

    /** The mean batch is {@code xinqiao.login.codes-read / xinqiao.login.reads} (on /q/metrics). */
    @Inject
    void meter(MeterRegistry metrics) {
        FunctionCounter.builder("xinqiao.login.reads", allReads, all -> all.stream().mapToLong(r -> r.counts()[0]).sum())
                .description("access-code reads sent to the database").register(metrics);
        FunctionCounter.builder("xinqiao.login.codes-read", allReads, all -> all.stream().mapToLong(r -> r.counts()[1]).sum())
                .description("access codes those reads carried").register(metrics);
    }

    @Scheduled(every = "5m")
    void prune() {
        throttle.prune();
    }
}
