package cn.xinqiao.bench;

import cn.xinqiao.stack.PostgresServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The yardstick every benchmark prints its ratio against, measured in the same run on the same PostgreSQL: pgbench
 * committing what one submission commits (its row and its outbox row), or the same over JDBC where pgbench is not
 * installed.
 */
final class PgbenchBaseline {

    private PgbenchBaseline() {
    }

    record Baseline(String tool, double tps) {
    }

    static final String BASELINE_SQL = """
            insert into bench_submission (id, campaign_id, student_id, answers, total_score, risk_level, submitted_at)
              values (gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), '{1,1,0,1,0,0,1,0,0}', 4, 'NONE', now());
            insert into bench_outbox (id, topic, msg_key, payload) values (gen_random_uuid(), 'screening.results.v1', 'k', '{"a":1}');
            """;

    static Baseline baseline(int pgPort, int threads) throws Exception {
        String url = "jdbc:postgresql://localhost:" + pgPort + "/";
        try (Connection c = DriverManager.getConnection(url + "postgres", PostgresServer.OPERATOR_USER, PostgresServer.OPERATOR_PASSWORD);
             Statement s = c.createStatement()) {
            if (!s.executeQuery("select 1 from pg_database where datname = 'bench'").next()) {
                s.execute("create database bench");
            }
        }
        try (Connection c = DriverManager.getConnection(url + "bench", PostgresServer.OPERATOR_USER, PostgresServer.OPERATOR_PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("drop table if exists bench_submission, bench_outbox");
            s.execute("create table bench_submission (id uuid primary key, campaign_id uuid, student_id uuid, answers int[], total_score int, risk_level varchar(8), submitted_at timestamptz)");
            s.execute("create table bench_outbox (id uuid primary key, seq bigserial, topic text, msg_key text, payload jsonb, created_at timestamptz default now())");
        }
        Path pgbench = findPgbench();
        if (pgbench != null) {
            Path script = Files.createTempFile("xq-bench", ".sql");
            Files.writeString(script, "BEGIN;\n" + BASELINE_SQL + "COMMIT;\n");
            Process p = new ProcessBuilder(pgbench.toString(), "-n", "-h", "localhost", "-p", String.valueOf(pgPort), "-U",
                    PostgresServer.OPERATOR_USER, "-c", String.valueOf(threads), "-j", "2", "-T", "10", "-f", script.toString(), "bench")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Matcher m = Pattern.compile("tps = ([0-9.]+)").matcher(out);
            if (m.find()) {
                return new Baseline("pgbench " + pgbench, Double.parseDouble(m.group(1)));
            }
            System.out.println("[bench] pgbench gave no figure, using JDBC: " + out.lines().reduce("", (a, b) -> b));
        }
        int total = 20_000;
        LoadDriver.Result jdbc = LoadDriver.run(threads, total, new LoadDriver.Call() {
            final ThreadLocal<Connection> connection = ThreadLocal.withInitial(() -> {
                try {
                    Connection c = DriverManager.getConnection(url + "bench", PostgresServer.OPERATOR_USER, PostgresServer.OPERATOR_PASSWORD);
                    c.setAutoCommit(false);
                    return c;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            @Override
            public void call(int i) throws Exception {
                Connection c = connection.get();
                for (String sql : BASELINE_SQL.split(";")) {
                    if (!sql.isBlank()) {
                        try (PreparedStatement ps = c.prepareStatement(sql)) {
                            ps.executeUpdate();
                        }
                    }
                }
                c.commit();
            }
        });
        return new Baseline("JDBC (pgbench not installed)", jdbc.rate());
    }

    static Path findPgbench() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "pgbench");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin/pgbench")).filter(Files::isExecutable).findFirst().orElse(null);
        } catch (Exception e) {
            return null;
        }
    }
}
