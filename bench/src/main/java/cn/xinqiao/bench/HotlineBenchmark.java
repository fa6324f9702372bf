package cn.xinqiao.bench;

import cn.xinqiao.stack.PostgresServer;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hotline load (issue 5): {@code bench.calls} (1,000) calls open at once, each autosaved every
 * {@code bench.every} (3 s) for {@code bench.seconds} (60 s), paced (open loop), then all closed. Prints the
 * p50/p99 of an update (target p99 < 50 ms) and, in the same run, the same row update done directly over JDBC at
 * the same rate (the database's own cost) with the ratio. Run against {@code ./xq up}: {@code ./xq bench hotline}.
 */
public final class HotlineBenchmark {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(System.getProperty("bench.calls", "1000"));
        int everyMs = Integer.parseInt(System.getProperty("bench.every", "3000"));
        int seconds = Integer.parseInt(System.getProperty("bench.seconds", "60"));
        int threads = Integer.parseInt(System.getProperty("bench.threads", "64"));
        String hotline = System.getProperty("bench.hotline", "http://localhost:8083");
        String issuer = System.getProperty("bench.issuer", "http://localhost:8180/realms/xinqiao");
        int pgPort = Integer.parseInt(System.getProperty("bench.pg-port", System.getenv().getOrDefault("XQ_PG_PORT", "15432")));
        String token = StackApi.userToken(issuer, "supervisor.hl");

        System.out.printf("[bench] opening %d calls%n", calls);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            ids.add(JSON.readTree(send(token, "POST", hotline + "/api/calls", "{\"channel\":\"PHONE\",\"callerType\":\"STUDENT\"}"))
                    .path("id").asText());
        }
        int updates = (int) ((long) seconds * 1000 / everyMs * calls);
        double ratePerSecond = calls * 1000.0 / everyMs;
        System.out.printf("[bench] %d open calls, each saved every %d ms: %.0f updates/s for %d s, %d client threads%n",
                calls, everyMs, ratePerSecond, seconds, threads);
        String[] notes = {"来电学生讲述近期考试压力", "正在评估风险", "已提供情绪支持", "约定明日回访"};
        int warmUp = (int) (ratePerSecond * 10);
        long[] cold = paced(threads, warmUp, ratePerSecond, i -> send(token, "PATCH", hotline + "/api/calls/" + ids.get(i % calls),
                "{\"notes\":\"warm-up " + i + "\"}"));
        System.out.printf("[bench] warm-up (10 s, not counted): p50=%.1fms p99=%.1fms%n", p(cold, 50), p(cold, 99));
        long[] api = paced(threads, updates, ratePerSecond, i -> send(token, "PATCH", hotline + "/api/calls/" + ids.get(i % calls),
                "{\"notes\":\"" + notes[i % notes.length] + " #" + i + "\",\"categories\":[\"school.exam-stress\"],\"ageBand\":\"13_15\"}"));

        // baseline: the same row update, durable commit, straight to PostgreSQL at the same rate
        String url = "jdbc:postgresql://localhost:" + pgPort + "/hotline";
        List<Connection> pool = new ArrayList<>();
        for (int i = 0; i < Math.min(threads, 16); i++) {
            pool.add(DriverManager.getConnection(url, PostgresServer.OPERATOR_USER, PostgresServer.OPERATOR_PASSWORD));
        }
        AtomicInteger nextConnection = new AtomicInteger();
        ThreadLocal<Connection> connection = ThreadLocal.withInitial(() -> pool.get(nextConnection.getAndIncrement() % pool.size()));
        long[] db = paced(Math.min(threads, 16), updates, ratePerSecond, i -> {
            Connection c = connection.get();
            synchronized (c) {
                try (PreparedStatement ps = c.prepareStatement(
                        "update call_record set notes = ?, version = version + 1, updated_at = now() where id = ?")) {
                    ps.setString(1, notes[i % notes.length] + " #" + i);
                    ps.setObject(2, UUID.fromString(ids.get(i % calls)));
                    ps.executeUpdate();
                }
            }
            return null;
        });
        for (Connection c : pool) {
            c.close();
        }

        System.out.printf("[bench] closing %d calls%n", calls);
        for (String id : ids) {
            send(token, "PATCH", hotline + "/api/calls/" + id, "{\"riskLevel\":\"LOW\"}");
            send(token, "POST", hotline + "/api/calls/" + id + "/close", "");
        }
        System.out.printf("[bench] RESULT hotline updates: %d at %.0f/s with %d calls open, p50=%.1fms p99=%.1fms (target p99 < 50 ms); "
                        + "baseline JDBC update p50=%.1fms p99=%.1fms; ratio p99 api/db=%.1f%n",
                api.length, ratePerSecond, calls, p(api, 50), p(api, 99), p(db, 50), p(db, 99), p(api, 99) / Math.max(0.001, p(db, 99)));
    }

    interface Call {
        Object call(int i) throws Exception;
    }

    /** Open loop: request i is due at start + i / rate; latency is measured from send to answer. */
    static long[] paced(int threads, int total, double ratePerSecond, Call call) throws Exception {
        long[] micros = new long[total];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long due = start + (long) (i * 1e9 / ratePerSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    long t0 = System.nanoTime();
                    try {
                        call.call(i);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    micros[i] = (System.nanoTime() - t0) / 1000;
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        if (errors.get() > 0) {
            System.out.printf("[bench] %d errors%n", errors.get());
        }
        return micros;
    }

    static double p(long[] micros, int percentile) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)] / 1000.0;
    }

    static String send(String token, String method, String url, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " -> " + r.statusCode());
        }
        return r.body();
    }
}
