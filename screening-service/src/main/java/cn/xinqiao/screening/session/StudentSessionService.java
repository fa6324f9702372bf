package cn.xinqiao.screening.session;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.screening.domain.AccessCodes;
import cn.xinqiao.screening.domain.AccessCodeVault;
import cn.xinqiao.screening.domain.BirthDates;
import cn.xinqiao.screening.domain.ClientNetworks;
import cn.xinqiao.screening.domain.ConsentRule;
import cn.xinqiao.screening.domain.SchoolYear;
import cn.xinqiao.screening.consent.ConsentConfig;
import cn.xinqiao.screening.consent.ConsentRefusals;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Access-code login: the code on the student's slip and the birth date the student knows (a slip left on a desk is
 * not enough). Reads only (the code's keyed hash → student + campaign + what is already done, one round trip) and
 * signs a short-lived HS256 token bound to that student and campaign: nothing is written on a successful login, so a
 * city-wide wave of logins costs one indexed read and two microseconds of HMAC each. Failures spend the network's
 * budget ({@link LoginGuard}). A used code logs in again (to resume) until the campaign closes.
 *
 * <p>The read goes through the reactive PostgreSQL client, so a login never leaves the event loop: no worker
 * thread hand-off and no JDBC pool on the path that a whole city hits at once (the rest of the service, with
 * its transactions, stays on JDBC). Logins that arrive together are read together ({@link GroupRead}: one query
 * for the codes of all of them), so in a login wave the database answers one query per several students.
 */
@ApplicationScoped
public class StudentSessionService {

    /** {@code instrumentVersions}: the version of each instrument the campaign pinned (the questionnaire to fetch). */
    public record Session(String token, OffsetDateTime expiresAt, UUID campaignId, String campaignName,
                          List<String> instruments, List<String> completed, java.util.Map<String, String> instrumentVersions) {
    }

    /** What one indexed read of the access code yields. */
    record LoginRow(UUID studentId, UUID campaignId, String schoolId, String campaignName, String[] instruments,
                    OffsetDateTime opensAt, OffsetDateTime closesAt, String[] completed, LocalDate birthDate, boolean locked,
                    int failedAttempts, String consent, String[] instrumentVersions) {
    }

    /** The codes' students, schools, campaigns and what each has completed: one indexed read for a batch of codes. */
    static final String LOGIN_SQL = """
            select a.code_hash, a.student_id, a.campaign_id, s.school_id, c.name, c.instruments, c.opens_at, c.closes_at,
                   array(select x.instrument_id from submission x
                         where x.campaign_id = a.campaign_id and x.student_id = a.student_id and x.status = 'COUNTED'),
                   s.birth_date, a.locked_at is not null, a.failed_attempts,
                   (select g.decision from guardian_consent g where g.student_id = a.student_id and g.school_year = c.school_year
                    order by g.recorded_at desc, g.id limit 1),
                   c.instrument_versions
            from access_code a join student s on s.id = a.student_id join campaign c on c.id = a.campaign_id
            where a.code_hash = any($1)""";

    private static final String WRONG = "the access code or the birth date is not right; check them with your teacher / 访问码或出生日期不正确，请向老师核对";

    private final StudentSessionConfig config;
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
    LoginGuard guard;

    @Inject
    AccessCodeVault vault;

    @Inject
    cn.xinqiao.screening.helpline.HelpLines helpLines;

    private final ConsentRule consentRule;

    @Inject
    public StudentSessionService(StudentSessionConfig config, ConsentConfig consent) {
        this.config = config;
        this.consentRule = new ConsentRule(consent.guardianConsentUnder());
        this.reads = ThreadLocal.withInitial(() -> {
            GroupRead<String, LoginRow> loop = new GroupRead<>(this::find, config.login().readsInFlight(), config.login().readBatch());
            allReads.add(loop);
            return loop;
        });
    }

    /**
     * The access code and the birth date together; {@code network} is where the attempt came from
     * ({@link ClientNetworks#network}). A wrong code and a right code with a wrong birth date answer alike, so a
     * guess learns nothing about which half was wrong.
     */
    public Uni<Session> login(String typedCode, String typedBirthDate, String network) {
        Duration wait = guard.retryAfter(network);
        if (!wait.isZero()) {
            return Uni.createFrom().failure(Problem.tooManyRequests("too many wrong access codes from this network; try again in "
                    + Math.max(1, wait.toMinutes()) + " min / 尝试次数过多，请稍后再试"));
        }
        LocalDate birthDate = BirthDates.typed(typedBirthDate);
        if (birthDate == null) {
            return Uni.createFrom().failure(Problem.badRequest("birth-date-required",
                    "enter your birth date as on your student record, e.g. 2010-03-04 / 请输入出生日期，例如 2010-03-04"));
        }
        String code = AccessCodes.normalise(typedCode);
        if (code == null) {
            return guard.failed(network, null).map(x -> wrong());
        }
        String hash = vault.hash(code);
        return reads.get().read(hash).chain(row -> {
            if (row == null) {
                return guard.failed(network, null).map(x -> wrong());
            }
            if (!birthDate.equals(row.birthDate())) {
                return guard.failed(network, hash).map(x -> wrong());
            }
            return Uni.createFrom().item(() -> session(row, hash, network));
        });
    }

    private static Session wrong() {
        throw new Problem(401, "invalid-access-code", "Invalid access code", WRONG, List.of());
    }

    private Session session(LoginRow row, String hash, String network) {
        if (row.locked()) {
            throw new Problem(423, "access-code-locked", "Access code locked",
                    "this code was locked after too many wrong birth dates; ask your teacher for a new one / 此访问码因多次输错出生日期已锁定，请找老师重新领取",
                    List.of());
        }
        ConsentRule.Standing consent = consentRule.standing(row.consent() == null ? null : ConsentRule.Decision.valueOf(row.consent()),
                row.birthDate(), LocalDate.now(SchoolYear.CHINA));
        if (!consent.allowed()) {
            throw ConsentRefusals.of(consent, helpLines.hotline());
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (now.isBefore(row.opensAt())) {
            throw Problem.conflict("campaign-not-open", "the screening has not started yet / 筛查尚未开始");
        }
        if (!now.isBefore(row.closesAt())) {
            throw Problem.conflict("campaign-closed", "the screening has ended / 筛查已结束");
        }
        guard.succeeded(network);
        if (row.failedAttempts() > 0) {
            pool.preparedQuery("update access_code set failed_attempts = 0 where code_hash = $1 and locked_at is null")
                    .execute(Tuple.of(hash)).subscribe().with(x -> { }, e -> { });
        }
        OffsetDateTime expires = now.plus(config.lifetime());
        if (expires.isAfter(row.closesAt())) {
            expires = row.closesAt();
        }
        String token = tokens.sign(row.studentId(), row.campaignId(), row.schoolId(), now.toInstant(), expires.toInstant());
        return new Session(token, expires, row.campaignId(), row.campaignName(), List.of(row.instruments()), List.of(row.completed()),
                cn.xinqiao.screening.campaign.Campaign.pins(row.instruments(), row.instrumentVersions()));
    }

    /** {@link #LOGIN_SQL} for one batch of codes: one round trip. */
    private Uni<Map<String, LoginRow>> find(List<String> codes) {
        return pool.preparedQuery(LOGIN_SQL).execute(Tuple.tuple().addArrayOfString(codes.toArray(String[]::new))).map(rows -> {
            Map<String, LoginRow> found = new HashMap<>(2 * rows.size());
            for (Row r : rows) {
                found.put(r.getString(0), new LoginRow(r.getUUID(1), r.getUUID(2), r.getString(3), r.getString(4),
                        r.getArrayOfStrings(5), r.getOffsetDateTime(6), r.getOffsetDateTime(7), r.getArrayOfStrings(8),
                        r.getLocalDate(9), r.getBoolean(10), r.getInteger(11), r.getString(12), r.getArrayOfStrings(13)));
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
}
