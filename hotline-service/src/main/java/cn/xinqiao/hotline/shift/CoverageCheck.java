package cn.xinqiao.hotline.shift;

import cn.xinqiao.platform.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code hotline.coverage.v1}: every hour, tomorrow's roster of each hotline is checked for hours without an operator
 * or a supervisor; what it finds is published when it differs from what was last published for that day (so a
 * supervisor who fills the gap makes the next check say so, and nobody is told the same thing twice).
 */
@ApplicationScoped
public class CoverageCheck {

    public static final String TOPIC = "hotline.coverage.v1";
    public static final String TYPE = "cn.xinqiao.hotline.coverage.v1";
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final Logger LOG = Logger.getLogger(CoverageCheck.class);

    public record CoverageEvent(String hotline, LocalDate date, List<ShiftService.Gap> gaps, OffsetDateTime checkedAt) {
    }

    @Inject
    ShiftService shifts;

    @Inject
    Outbox outbox;

    @Inject
    EntityManager em;

    /** Hotlines checked even before their first shift exists (a 24-hour line with no roster at all is the biggest gap). */
    @ConfigProperty(name = "xinqiao.hotline.coverage.hotlines", defaultValue = "370800")
    List<String> configured;

    @Scheduled(every = "${xinqiao.hotline.coverage.every:1h}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            int published = check(OffsetDateTime.now(ZoneOffset.UTC));
            if (published > 0) {
                LOG.infof("hotline coverage: %d changed day(s) published", published);
            }
        } catch (RuntimeException e) {
            LOG.warnf("hotline coverage check failed (%s); next pass retries", e.getClass().getSimpleName());
        }
    }

    /** Checks tomorrow (China time) for every hotline; returns how many notices were published. */
    public int check(OffsetDateTime now) {
        LocalDate day = now.atZoneSameInstant(CHINA).toLocalDate().plusDays(1);
        OffsetDateTime from = day.atStartOfDay(CHINA).toOffsetDateTime();
        OffsetDateTime to = day.plusDays(1).atStartOfDay(CHINA).toOffsetDateTime();
        TreeSet<String> hotlines = new TreeSet<>(configured);
        @SuppressWarnings("unchecked")
        List<String> known = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("select distinct hotline from shift").getResultList());
        hotlines.addAll(known);
        int published = 0;
        for (String hotline : hotlines) {
            boolean changed = QuarkusTransaction.requiringNew().call(() -> {
                List<ShiftService.Gap> gaps = shifts.roster(hotline, from, to).gaps();
                String summary = gaps.stream().map(g -> g.from().toInstant() + "/" + g.to().toInstant() + "/" + g.missing())
                        .collect(Collectors.joining(","));
                int updated = em.createNativeQuery("""
                                insert into coverage_notice (hotline, day, gaps, published_at) values (?1, ?2, ?3, ?4)
                                on conflict (hotline, day) do update set gaps = excluded.gaps, published_at = excluded.published_at
                                where coverage_notice.gaps <> excluded.gaps""")
                        .setParameter(1, hotline).setParameter(2, day).setParameter(3, summary).setParameter(4, now).executeUpdate();
                if (updated == 0) {
                    return false;
                }
                outbox.publish(TOPIC, hotline + ":" + day, TYPE, hotline + ":" + day, new CoverageEvent(hotline, day, gaps, now));
                return true;
            });
            if (changed) {
                published++;
            }
        }
        return published;
    }
}
