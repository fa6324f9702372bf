package cn.xinqiao.reporting.rebuild;

import cn.xinqiao.platform.inbox.EventDecoder;
import cn.xinqiao.platform.problem.Problem;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.smallrye.reactive.messaging.PausableChannel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Rebuilds every read model by replaying the topics from the beginning under a new consumer group.
 * <ol>
 *   <li>pause the live channels; replay every partition up to its end offset into unlogged staging tables
 *       ({@link Staging});</li>
 *   <li>in one transaction: lock the read models, replay what arrived meanwhile, derive the read models from the
 *       staged events, count the rows that differ from the incrementally built ones ({@code differences}, expected
 *       all 0), replace them, commit ({@link ReadModels}) — readers see the old or the new tables, never a
 *       half-built one;</li>
 *   <li>resume the live channels. Events they receive that the rebuild already holds change nothing: every read
 *       model is keyed by the event's own id (result, call, status event).</li>
 * </ol>
 * Activities are records, not a read model: a rebuild never touches them.
 */
@ApplicationScoped
public class Rebuild {

    private static final Logger LOG = Logger.getLogger(Rebuild.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EventDecoder decoder;

    @Inject
    ObjectMapper json;

    @Inject
    LiveChannels live;

    @Inject
    RebuildRuns runs;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final AtomicBoolean running = new AtomicBoolean();

    /** Starts a rebuild in the background; 409 while one runs. */
    public RebuildRuns.Run start(String requestedBy) {
        if (!running.compareAndSet(false, true)) {
            throw Problem.conflict("rebuild-running", "a rebuild is already running; follow its progress");
        }
        UUID id = UUID.randomUUID();
        try {
            runs.begin(id, requestedBy);
        } catch (RuntimeException e) {
            running.set(false);
            throw e;
        }
        Thread worker = new Thread(() -> run(id), "reporting-rebuild");
        worker.setDaemon(true);
        worker.start();
        return runs.find(id).orElseThrow();
    }

    public Optional<RebuildRuns.Run> find(UUID id) {
        return runs.find(id);
    }

    public Optional<UUID> latest() {
        return runs.latest();
    }

    void run(UUID id) {
        List<PausableChannel> paused = live.pause();
        RebuildRuns.Progress progress = runs.progress(id);
        Staging staging = new Staging(decoder, json);
        try (Connection stagingConnection = dataSource.getConnection();
             Replay replay = new Replay(bootstrapServers, id, staging, progress)) {
            Staging.createTables(stagingConnection);
            replay.fromBeginning();
            replay.toEnd(stagingConnection);
            Map<String, Long> differences = swap(replay);
            Map<TopicPartition, OffsetAndMetadata> rebuilt = replay.commit();
            live.fastForward(rebuilt);
            progress.save();
            runs.done(id, differences);
            LOG.infof("rebuild %s done: %d events, %d rejected, differences %s", id, progress.read, progress.rejected, differences);
        } catch (Exception e) {
            LOG.errorf(e, "rebuild %s failed", id);
            progress.save();
            runs.failed(id, e);
        } finally {
            dropStaging();
            paused.forEach(PausableChannel::resume);
            running.set(false);
        }
    }

    /** Catch up under the lock, derive, compare, replace: one transaction. */
    private Map<String, Long> swap(Replay replay) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                ReadModels.lock(s);
                replay.toEnd(c);
                ReadModels.derive(s);
                Map<String, Long> differences = ReadModels.differences(s);
                ReadModels.replace(s);
                c.commit();
                return differences;
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void dropStaging() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            Staging.dropTables(s);
        } catch (SQLException e) {
            LOG.warnf("could not drop staging tables: %s", e.getClass().getSimpleName());
        }
    }
}
