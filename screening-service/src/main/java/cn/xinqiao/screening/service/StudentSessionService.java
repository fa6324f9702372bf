package cn.xinqiao.screening.service;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.screening.config.StudentSessionConfig;
import cn.xinqiao.screening.domain.AccessCodes;
import cn.xinqiao.screening.domain.LoginThrottle;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Access-code login. Reads only (code → student + campaign) and signs a short-lived token bound to that
 * student and campaign: nothing is written on this hot path, so a city-wide wave of logins costs one indexed
 * read each. A used code logs in again (to resume) until the campaign closes.
 */
@ApplicationScoped
public class StudentSessionService {

    public static final String AUDIENCE = "xinqiao-student";

    public record Session(String token, OffsetDateTime expiresAt, UUID campaignId, String campaignName,
                          List<String> instruments, List<String> completed) {
    }

    /** What one indexed read of the access code yields. */
    public record LoginRow(UUID studentId, UUID campaignId, String schoolId, String campaignName, String[] instruments,
                           OffsetDateTime opensAt, OffsetDateTime closesAt) {
    }

    private final StudentSessionConfig config;
    private final PrivateKey signingKey;
    private final LoginThrottle throttle;

    @Inject
    EntityManager em;

    @Inject
    public StudentSessionService(StudentSessionConfig config) {
        this.config = config;
        this.signingKey = privateKey(config.privateKey());
        this.throttle = new LoginThrottle(config.login().maxFailures(), config.login().window(), config.login().lockout(),
                Clock.systemUTC());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Session login(String typedCode, String client) {
        Duration wait = throttle.retryAfter(client);
        if (!wait.isZero()) {
            throw Problem.tooManyRequests("too many wrong access codes from this network; try again in "
                    + Math.max(1, wait.toMinutes()) + " min / 尝试次数过多，请稍后再试");
        }
        String code = AccessCodes.normalise(typedCode);
        List<LoginRow> rows = code == null ? List.of() : em.createQuery("""
                        select new cn.xinqiao.screening.service.StudentSessionService$LoginRow(
                            a.studentId, a.campaignId, s.schoolId, c.name, c.instruments, c.opensAt, c.closesAt)
                        from AccessCode a, Student s, Campaign c
                        where a.code = :code and s.id = a.studentId and c.id = a.campaignId""", LoginRow.class)
                .setParameter("code", code).getResultList();
        if (rows.isEmpty()) {
            throttle.failed(client);
            throw new Problem(401, "invalid-access-code", "Invalid access code",
                    "this access code is not valid; check it with your teacher / 访问码无效，请向老师核对", List.of());
        }
        LoginRow row = rows.get(0);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (now.isBefore(row.opensAt())) {
            throw Problem.conflict("campaign-not-open", "the screening has not started yet / 筛查尚未开始");
        }
        if (!now.isBefore(row.closesAt())) {
            throw Problem.conflict("campaign-closed", "the screening has ended / 筛查已结束");
        }
        UUID student = row.studentId();
        UUID campaign = row.campaignId();
        OffsetDateTime expires = now.plus(config.lifetime());
        if (expires.isAfter(row.closesAt())) {
            expires = row.closesAt();
        }
        String token = Jwt.issuer(config.issuer())
                .subject(student.toString())
                .audience(AUDIENCE)
                .groups(Set.of("student"))
                .claim("campaign_id", campaign.toString())
                .claim("school_id", row.schoolId())
                .issuedAt(now.toInstant())
                .expiresAt(expires.toInstant())
                .jws().keyId("student-session")
                .sign(signingKey);
        List<String> completed = em.createNativeQuery(
                        "select instrument_id from submission where campaign_id = ?1 and student_id = ?2 and status = 'COUNTED'", String.class)
                .setParameter(1, campaign).setParameter(2, student).getResultList();
        return new Session(token, expires, campaign, row.campaignName(), List.of(row.instruments()), completed);
    }

    @Scheduled(every = "5m")
    void prune() {
        throttle.prune();
    }

    private static PrivateKey privateKey(String base64) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IllegalStateException("xinqiao.student-session.private-key is not a base64 PKCS#8 RSA key", e);
        }
    }
}
