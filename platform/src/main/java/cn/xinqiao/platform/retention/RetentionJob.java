package cn.xinqiao.platform.retention;

import cn.xinqiao.platform.audit.AuditTrail;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Enforces the retention schedule: every night, and on demand. A dry run counts what is due and changes nothing;
 * a run deletes it, batch by batch, each batch its own transaction, and is audited with its counts (never with what
 * was deleted). Idempotent: what is past the cutoff is gone after one run, and the next finds nothing. Several
 * replicas may run it at once: each batch deletes what it finds, nothing twice.
 */
@ApplicationScoped
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class);
    static final int BATCH = 5_000;

    /** The audit log, in every service: 3 years (its function refuses anything shorter). */
    static final RetentionRule AUDIT = new RetentionRule("audit-log", "who read or changed whose data, when",
            "accountability for every read of identifiable data; 3 years covers a complaint and its review", Period.ofYears(3),
            "select count(*) from audit_log where at < ?", List.of("select audit_log_purge(?, ?)"));

    public record Line(String kind, String what, String reason, String keep, OffsetDateTime cutoff, long due, long purged) {
    }

    public record Report(OffsetDateTime at, boolean dryRun, List<Line> rules) {
    }

    @Inject
    Instance<RetentionRules> services;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditTrail audit;

    private final ReentrantLock running = new ReentrantLock();

    @Scheduled(cron = "${xinqiao.retention.cron:0 30 3 * * ?}", timeZone = "Asia/Shanghai",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void nightly() {
        try {
            run(false, Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("retention run failed: %s (the next run takes it up again)", e.getClass().getSimpleName());
        }
    }

    public List<RetentionRule> rules() {
        List<RetentionRule> all = new ArrayList<>();
        services.forEach(s -> all.addAll(s.rules()));
        all.add(AUDIT);
        return all;
    }

    /** What each rule keeps and (dry run) what is due, or (run) what it purged; {@code now} is the clock. */
    public Report run(boolean dryRun, Instant now) {
        if (!dryRun && !running.tryLock()) {
            throw new IllegalStateException("a retention run is already going on");
        }
        try {
            List<Line> lines = new ArrayList<>();
            for (RetentionRule rule : rules()) {
                Period keep = keep(rule);
                OffsetDateTime cutoff = now.atOffset(ZoneOffset.UTC).minus(keep);
                long due = count(rule, cutoff);
                long purged = dryRun || due == 0 ? 0 : purge(rule, cutoff);
                lines.add(new Line(rule.kind(), rule.what(), rule.reason(), keep.toString(), cutoff, due, purged));
            }
            Report report = new Report(now.atOffset(ZoneOffset.UTC), dryRun, lines);
            String summary = String.join(", ", lines.stream().map(l -> l.kind() + "=" + (dryRun ? l.due() : l.purged())).toList());
            audit.recordAs("retention", "system", dryRun ? AuditTrail.Action.READ : AuditTrail.Action.UPDATE, "retention", null, null,
                    (dryRun ? "dry run, due: " : "purged: ") + summary);
            if (!dryRun && lines.stream().anyMatch(l -> l.purged() > 0)) {
                LOG.infof("retention: purged %s", summary);
            }
            return report;
        } finally {
            if (!dryRun) {
                running.unlock();
            }
        }
    }

    static Period keep(RetentionRule rule) {
        return ConfigProvider.getConfig().getOptionalValue("xinqiao.retention." + rule.kind(), String.class)
                .map(Period::parse).orElse(rule.keep());
    }

    private long count(RetentionRule rule, OffsetDateTime cutoff) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(rule.count())) {
            ps.setTimestamp(1, Timestamp.from(cutoff.toInstant()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("retention count failed for " + rule.kind() + ": " + e.getSQLState(), e);
        }
    }

    private long purge(RetentionRule rule, OffsetDateTime cutoff) {
        long last = 0;
        try (Connection c = dataSource.getConnection()) {
            for (String statement : rule.purge()) {
                long removed;
                long total = 0;
                try (PreparedStatement ps = c.prepareStatement(statement)) {
                    ps.setTimestamp(1, Timestamp.from(cutoff.toInstant()));
                    ps.setInt(2, BATCH);
                    do {
                        if (statement.stripLeading().startsWith("select")) {
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                removed = rs.getLong(1);
                            }
                        } else {
                            removed = ps.executeUpdate();
                        }
                        total += removed;
                    } while (removed == BATCH);
                }
                last = total;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("retention purge failed for " + rule.kind() + ": " + e.getSQLState(), e);
        }
        return last; // the rule's own rows: its last statement (the dependents' go first)
    }
}
