package cn.xinqiao.screening.session;

import cn.xinqiao.platform.outbox.Outbox;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Watches the city-wide login rate ({@code login_rate}) for a guessing run: in the last five minutes at least
 * {@code spike-failures} failed access-code logins, and more failures than {@code spike-ratio} × successes (a
 * screening morning fails a few logins in a hundred). Raises {@code LOGIN_FAILURE_SPIKE} on
 * {@code screening.security.v1} for each city it serves, at most once per half hour (one replica wins the
 * {@code login_alarm} row), written with the outbox; notification-service tells the city bureau's duty officer.
 */
@ApplicationScoped
public class LoginAlarm {

    public static final String TOPIC = "screening.security.v1";
    public static final String TYPE = "cn.xinqiao.screening.security.v1";
    private static final Logger LOG = Logger.getLogger(LoginAlarm.class);

    public record Spike(String kind, List<String> cityCodes, int failures, int successes, int networks, int lockedNetworks,
                        OffsetDateTime windowStart, OffsetDateTime windowEnd, OffsetDateTime occurredAt) {
    }

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    StudentSessionConfig config;

    @Scheduled(every = "${xinqiao.student-session.login.spike-every:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    public void watch() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime from = now.truncatedTo(ChronoUnit.MINUTES).minusMinutes(5);
        Tuple rate = (Tuple) em.createNativeQuery("select coalesce(sum(failures), 0), coalesce(sum(successes), 0) from login_rate where minute >= ?1",
                Tuple.class).setParameter(1, from).getSingleResult();
        int failures = ((Number) rate.get(0)).intValue();
        int successes = ((Number) rate.get(1)).intValue();
        if (failures < config.login().spikeFailures() || failures <= config.login().spikeRatio() * successes) {
            return;
        }
        OffsetDateTime halfHour = now.truncatedTo(ChronoUnit.HOURS).plusMinutes(now.getMinute() < 30 ? 0 : 30);
        Tuple networks = (Tuple) em.createNativeQuery("""
                        select count(*) filter (where failures > 0), count(*) filter (where locked_until > now())
                        from login_budget where window_start >= ?1""", Tuple.class).setParameter(1, from).getSingleResult();
        int failing = ((Number) networks.get(0)).intValue();
        int locked = ((Number) networks.get(1)).intValue();
        int raised = em.createNativeQuery("""
                        insert into login_alarm (raised_for, failures, successes, networks) values (?1, ?2, ?3, ?4)
                        on conflict (raised_for) do nothing""")
                .setParameter(1, halfHour).setParameter(2, failures).setParameter(3, successes).setParameter(4, failing).executeUpdate();
        if (raised == 0) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<String> cities = em.createNativeQuery("select distinct city_code from school order by 1").getResultList();
        Spike spike = new Spike("LOGIN_FAILURE_SPIKE", cities, failures, successes, failing, locked, from, now, now);
        outbox.publish(TOPIC, "login:" + halfHour.toInstant(), TYPE, "login:" + halfHour.toInstant(), spike);
        LOG.warnf("access-code login failure spike: %d failures against %d successes in 5 minutes from %d networks (%d locked)",
                failures, successes, failing, locked);
    }
}
