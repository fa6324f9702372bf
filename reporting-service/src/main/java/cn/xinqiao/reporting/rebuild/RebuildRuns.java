package cn.xinqiao.reporting.rebuild;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The record of each rebuild ({@code rebuild_run}): its state, progress and differences, for the bureau to follow. */
@ApplicationScoped
public class RebuildRuns {

    public record Run(UUID id, String state, OffsetDateTime startedAt, OffsetDateTime finishedAt, long eventsTotal,
                      long eventsRead, long rejected, Double eventsPerSecond, Map<String, Long> differences, String error) {
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    /** A rebuild cut short by a restart never finishes: say so instead of showing RUNNING forever. */
    void onStart(@Observes StartupEvent start) {
        update("update rebuild_run set state = 'FAILED', finished_at = now(), error = 'interrupted by a restart' where state = 'RUNNING'");
    }

    void begin(UUID id, String requestedBy) {
        update("insert into rebuild_run (id, started_at, state, requested_by) values (?, now(), 'RUNNING', ?)", id, requestedBy);
    }

    void done(UUID id, Map<String, Long> differences) throws Exception {
        update("update rebuild_run set state = 'DONE', finished_at = now(), differences = cast(? as jsonb) where id = ?",
                json.writeValueAsString(differences), id);
    }

    void failed(UUID id, Exception e) {
        String reason = e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        update("update rebuild_run set state = 'FAILED', finished_at = now(), error = ? where id = ?",
                reason.length() > 300 ? reason.substring(0, 299) + "…" : reason, id);
    }

    public Optional<Run> find(UUID id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select id, state, started_at, finished_at, events_total, events_read, rejected, differences::text, error,
                            extract(epoch from coalesce(finished_at, now()) - started_at)
                     from rebuild_run where id = ?""")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long read = rs.getLong(6);
                double seconds = rs.getDouble(10);
                Map<String, Long> diff = null;
                if (rs.getString(8) != null) {
                    diff = json.readValue(rs.getString(8), json.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Long.class));
                }
                return Optional.of(new Run(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                        rs.getObject(4, OffsetDateTime.class), rs.getLong(5), read, rs.getLong(7),
                        seconds > 0 ? Math.round(read / seconds * 10) / 10.0 : null, diff, rs.getString(9)));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read rebuild status", e);
        }
    }

    public Optional<UUID> latest() {
        try (Connection c = dataSource.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id from rebuild_run order by started_at desc limit 1")) {
            return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read rebuild status", e);
        }
    }

    Progress progress(UUID id) {
        return new Progress(id);
    }

    private void update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record rebuild state", e);
        }
    }

    /** A run's progress, written to rebuild_run at most once a second. */
    final class Progress {
        final UUID id;
        long total;
        long read;
        long rejected;
        private long savedAt;

        private Progress(UUID id) {
            this.id = id;
        }

        void maybeSave() {
            if (System.currentTimeMillis() - savedAt >= 1000) {
                save();
            }
        }

        void save() {
            savedAt = System.currentTimeMillis();
            update("update rebuild_run set events_total = ?, events_read = ?, rejected = ? where id = ?", total, read, rejected, id);
        }
    }
}
