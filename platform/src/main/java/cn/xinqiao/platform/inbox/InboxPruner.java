package cn.xinqiao.platform.inbox;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Forgets applied event ids past {@code xinqiao.inbox.retention}, hourly, in short batches (the same shape as the
 * outbox's retention in {@code OutboxRelay}). Dead-letter markers age out the same way.
 */
@ApplicationScoped
public class InboxPruner {

    private static final Logger LOG = Logger.getLogger(InboxPruner.class);
    private static final String DELETE = """
            delete from inbox where event_id in (
                select event_id from inbox where processed_at < now() - make_interval(secs => ?) limit ?)""";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    InboxConfig config;

    @Scheduled(every = "1h", delayed = "10m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() throws SQLException {
        prune();
    }

    /** Deletes every id older than the retention; returns how many. */
    public long prune() throws SQLException {
        long total = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(DELETE)) {
            ps.setLong(1, config.retention().toSeconds());
            ps.setInt(2, config.pruneBatch());
            int deleted;
            do {
                deleted = ps.executeUpdate();
                total += deleted;
            } while (deleted == config.pruneBatch());
        }
        if (total > 0) {
            LOG.infof("inbox: forgot %d event ids past retention", total);
        }
        return total;
    }
}
