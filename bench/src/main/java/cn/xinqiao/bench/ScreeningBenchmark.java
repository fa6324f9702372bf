package cn.xinqiao.bench;

import cn.xinqiao.stack.PostgresServer;
import com.fasterxml.jackson.databind.JsonNode;
import cn.xinqiao.bench.LoadDriver.Call;
import cn.xinqiao.bench.LoadDriver.Result;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static cn.xinqiao.bench.LoadDriver.client;
import static cn.xinqiao.bench.StackApi.HTTP;
import static cn.xinqiao.bench.StackApi.JSON;
import static cn.xinqiao.bench.StackApi.adminToken;
import static cn.xinqiao.bench.StackApi.send;
import static cn.xinqiao.bench.LoadDriver.run;

/**
 * Screening load benchmark against a running local stack ({@code ./xq up}, then {@code ./xq bench}).
 * Prints access-code logins/s (after a JIT warm-up), submissions/s with p50/p99 at several concurrencies (8, 16,
 * 32, 64 connections by default) and, in the same run, the durable-commit baseline of the same PostgreSQL at the
 * same concurrencies (pgbench when installed, else the same transaction through JDBC): one submission row + one
 * outbox row per transaction. The ratio is the fastest submission rate whose p99 stays under 100 ms over the
 * highest baseline. The first submissions of the run, before any submission warm-up, are measured apart: on the first
 * run after {@code ./xq up} they are the stack's first (its cold ratio, against the same baseline; the line says how much
 * CPU screening-service had used before the run). Bounded: a few minutes.
 */
public final class ScreeningBenchmark {

    static final String SCHOOL = "S370811901";
    /** Every benchmark student's birth date (the login's second factor; its check costs the same whatever the date). */
    static final String BORN = "2010-09-01";

    public static void main(String[] args) throws Exception {
        int students = Integer.parseInt(System.getProperty("bench.students", "50000"));
        int threads = Integer.parseInt(System.getProperty("bench.threads", "64"));
        int loginWarmUp = Integer.parseInt(System.getProperty("bench.login-warmup", "20000"));
        int logins = Integer.parseInt(System.getProperty("bench.logins", "60000"));
        int[] levels = java.util.Arrays.stream(System.getProperty("bench.levels", "8,16,32,64").split(","))
                .mapToInt(l -> Integer.parseInt(l.trim())).toArray();
        if (logins < students) {
            throw new IllegalArgumentException("bench.logins must be at least bench.students: each student's token comes from a measured login");
        }
        String screening = System.getProperty("bench.screening", "http://localhost:8081");
        String issuer = System.getProperty("bench.issuer", "http://localhost:8180/realms/xinqiao");
        int pgPort = Integer.parseInt(System.getProperty("bench.pg-port", System.getenv().getOrDefault("XQ_PG_PORT", "15432")));
        String kafka = System.getProperty("bench.kafka", "localhost:9092");

        String referral = System.getProperty("bench.referral", "http://localhost:8082");
        StackApi.closeEarlierReferrals(issuer, referral);

        String admin = adminToken(issuer);
        System.out.printf("[bench] setting up school %s with %d students and a campaign%n", SCHOOL, students);
        send(admin, HttpRequest.newBuilder(URI.create(screening + "/api/schools/" + SCHOOL)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"压测学校 benchmark school\",\"districtCode\":\"370811\",\"stage\":\"SENIOR\"}")));
        StringBuilder csv = new StringBuilder("学号,姓名,性别,出生日期,年级,班级\n");
        for (int i = 0; i < students; i++) {
            csv.append(String.format("B%06d,学生%d,%s,%s,10,%d班%n", i, i, i % 2 == 0 ? "女" : "男", BORN, 1 + i / 50));
        }
        HttpResponse<String> accepted = send(admin, HttpRequest.newBuilder(URI.create(screening + "/api/schools/" + SCHOOL + "/roster-imports"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv.toString())));
        long importStart = System.nanoTime();
        String location = accepted.headers().firstValue("Location").orElseThrow();
        for (int i = 0; ; i++) {
            JsonNode progress = JSON.readTree(send(admin, HttpRequest.newBuilder(URI.create(screening + "/").resolve(location)).GET()).body());
            String status = progress.path("status").asText();
            if (status.equals("DONE")) {
                break;
            }
            if (status.equals("FAILED") || i == 1500) {
                throw new IllegalStateException("the benchmark roster did not import: " + status + " " + progress.path("errors"));
            }
            Thread.sleep(200);
        }
        System.out.printf("[bench] roster of %d students imported in %.1f s%n", students, (System.nanoTime() - importStart) / 1e9);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String campaign = JSON.readTree(send(admin, HttpRequest.newBuilder(URI.create(screening + "/api/campaigns"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                        "name", "benchmark " + now, "instruments", List.of("PHQ-A", "GAD-7"), "schoolIds", List.of(SCHOOL),
                        "grades", List.of(10), "opensAt", now.minusMinutes(5).toString(), "closesAt", now.plusDays(1).toString())))))
                .body()).path("id").asText();
        List<String> codes = new ArrayList<>();
        JSON.readTree(send(admin, HttpRequest.newBuilder(URI.create(screening + "/api/campaigns/" + campaign + "/access-codes?schoolId=" + SCHOOL)).GET())
                .body()).forEach(slip -> codes.add(slip.path("accessCode").asText()));
        System.out.printf("[bench] %d access codes; %d client threads%n", codes.size(), threads);

        // 1. logins (read-only path): a warm-up long enough for the JIT to finish compiling the path, then measured
        String[] tokens = new String[codes.size()];
        StackProcesses processes = new StackProcesses(Path.of(System.getProperty("xinqiao.root", ".")));
        // how fresh the stack is: a first run after ./xq up finds screening-service with little CPU spent yet
        double screeningCpuBefore = processes.snapshot().getOrDefault("screening-service",
                new StackProcesses.Usage("screening-service", 0, 0)).cpuSeconds();
        run(threads, loginWarmUp, i -> login(screening, codes.get(i % codes.size())));
        long[] reads0 = loginReads(screening);
        var cpu0 = processes.snapshot();
        Result loginResult = run(threads, logins, i -> {
            String token = login(screening, codes.get(i % codes.size()));
            if (i < tokens.length) {
                tokens[i] = token;
            }
        });
        var cpu1 = processes.snapshot();
        loginResult.print("access-code logins (" + threads + " connections)");
        System.out.println("[bench]   CPU per login: " + StackProcesses.perOperation(StackProcesses.cpuBetween(cpu0, cpu1), logins));
        long[] reads1 = loginReads(screening);
        if (reads0 != null && reads1 != null && reads1[0] > reads0[0]) {
            System.out.printf("[bench]   database reads: %d for %d access codes (%.1f codes per read)%n", reads1[0] - reads0[0],
                    reads1[1] - reads0[1], (reads1[1] - reads0[1]) / (double) (reads1[0] - reads0[0]));
        }

        if (Boolean.getBoolean("bench.logins-only")) {
            System.out.printf("[bench] RESULT logins/s=%.0f (target >= 5000); submissions not measured (bench.logins-only)%n", loginResult.rate());
            System.exit(loginResult.errors() > 0 ? 1 : 0);
        }

        // 2. submissions: every student answers PHQ-A and GAD-7; 3 % of PHQ-A have item 9 = 1 (CRITICAL).
        // The first students warm the JIT up (not measured). The others are measured in equal parts at rising
        // concurrency (20,000 submissions each by default: a sustained rate, 9-28 s here, not a burst whose consumers
        // catch up after it), each part by fresh students and after the consumers have caught up with the part before:
        // the target is a rate *with* p99 < 100 ms, and a closed loop of N clients at saturation queues every
        // request behind N - 1 others, so one concurrency alone says little about the latency a rate can have.
        int warm = Math.min(tokens.length / 3, Integer.parseInt(System.getProperty("bench.warmup-students", "10000")));
        // One submission per call: student s, PHQ-A (k = 0) or GAD-7 (k = 1).
        BiCall submit = (student, k) -> {
            int[] answers = k == 0 ? new int[]{1, 1, 0, 1, 0, 0, 1, 0, student % 33 == 0 ? 1 : 0} : new int[]{1, 0, 1, 0, 1, 0, 0};
            String body = JSON.writeValueAsString(Map.of("campaignId", campaign, "instrumentId", k == 0 ? "PHQ-A" : "GAD-7",
                    "answers", answers, "clientSubmissionId", UUID.randomUUID().toString()));
            BenchHttp.Response r = client(screening).post("/api/submissions", tokens[student], body);
            if (r.status() != 201) {
                throw new IllegalStateException("submission -> " + r.status() + " " + r.body());
            }
        };
        // 2a. cold: the first submissions the stack takes since it started (no submission warm-up before them), measured
        // like a warm part; then the rest of the warm-up
        int coldStudents = Math.min(warm, Integer.parseInt(System.getProperty("bench.cold-students", "5000")));
        int coldConnections = Integer.parseInt(System.getProperty("bench.cold-connections", "32"));
        Result cold = null;
        if (coldStudents > 0) {
            drain(kafka);
            var cpuCold0 = processes.snapshot();
            cold = run(coldConnections, 2 * coldStudents, students(0, coldStudents, submit));
            var cpuCold1 = processes.snapshot();
            cold.print("cold: the first submissions since start, " + coldConnections + " connections (screening-service had used "
                    + String.format("%.0f s of CPU before this run", screeningCpuBefore) + ")");
            System.out.println("[bench]   CPU per submission while measured: "
                    + StackProcesses.perOperation(StackProcesses.cpuBetween(cpuCold0, cpuCold1), cold.count()));
        }
        run(threads, 2 * (warm - coldStudents), students(coldStudents, warm - coldStudents, submit));
        int perLevel = (tokens.length - warm) / levels.length;
        List<Level> measured = new ArrayList<>();
        for (int l = 0; l < levels.length; l++) {
            drain(kafka); // the consumers finish the events before: they are not this part's
            Instant partStart = Instant.now();
            var cpu2 = processes.snapshot();
            Result part = run(levels[l], 2 * perLevel, students(warm + l * perLevel, perLevel, submit));
            var cpu3 = processes.snapshot();
            part.print("submissions, " + levels[l] + " connections");
            Map<String, Long> lagAtEnd = KafkaWatch.lag(kafka);
            drain(kafka);
            var cpu4 = processes.snapshot();
            System.out.println("[bench]   CPU per submission while measured (the consumers' share of the same events included): "
                    + StackProcesses.perOperation(StackProcesses.cpuBetween(cpu2, cpu3), part.count()));
            // (the drain time is mostly the consumers' offset-commit interval, not work: only the CPU is reported)
            System.out.printf("[bench]   consumer lag at the end %s; CPU per submission with the consumers' catch-up: %s%n", lagAtEnd,
                    StackProcesses.perOperation(StackProcesses.cpuBetween(cpu2, cpu4), part.count()).replaceAll(".*(all [0-9.]+ ms).*", "$1"));
            measured.add(new Level(levels[l], part));
            // the same part's critical answers: how soon the partner hospital's on-call clinician was told
            Thread.sleep(2000); // the last e-mails of the part leave
            System.out.println("[bench]   notifications: " + NotificationLatency.since(pgPort, SCHOOL, partStart).describe());
        }

        // 3. the durable-commit baseline of the same PostgreSQL, at the same concurrencies, on an idle machine
        // (the consumers have drained); the highest is the baseline, so no concurrency can flatter the ratio
        double best = 0;
        for (int level : levels) {
            PgbenchBaseline.Baseline b = PgbenchBaseline.baseline(pgPort, level);
            System.out.printf("[bench] baseline (%s): %.0f tx/s at %d connections (one submission row + one outbox row per commit)%n",
                    b.tool(), b.tps(), level);
            best = Math.max(best, b.tps());
        }
        // a part with errors measured failures, not submissions: it counts for nothing
        measured.removeIf(m -> m.result().errors() > 0);
        if (loginResult.errors() > 0) {
            System.out.println("[bench] RESULT logins had errors: nothing to report (see the first error above)");
            System.exit(1);
        }
        if (measured.isEmpty()) {
            System.out.println("[bench] RESULT no part ran without errors: nothing to report (see the first error above)");
            System.exit(1);
        }
        Level fastest = measured.stream().max(java.util.Comparator.comparingDouble(m -> m.result().rate())).orElseThrow();
        Level withinSlo = measured.stream().filter(m -> m.result().p(99) < 100)
                .max(java.util.Comparator.comparingDouble(m -> m.result().rate())).orElse(null);
        System.out.printf("[bench] RESULT logins/s=%.0f (target >= 5000) | fastest submissions: %.0f/s at %d connections, p50=%.1fms p99=%.1fms"
                        + " | with p99 < 100 ms: %s | baseline=%.0ftx/s ratio=%.2f (target >= 0.35 with p99 < 100 ms; at the fastest, p99 aside: %.2f)%n",
                loginResult.rate(), fastest.result().rate(), fastest.connections(), fastest.result().p(50), fastest.result().p(99),
                withinSlo == null ? "none" : String.format("%.0f/s at %d connections, p99=%.1fms", withinSlo.result().rate(),
                        withinSlo.connections(), withinSlo.result().p(99)),
                best, (withinSlo == null ? 0 : withinSlo.result().rate()) / best, fastest.result().rate() / best);
        double warmRatio = (withinSlo == null ? 0 : withinSlo.result().rate()) / best;
        if (cold != null && cold.errors() == 0) {
            double coldRatio = cold.p(99) < 100 ? cold.rate() / best : 0;
            System.out.printf("[bench] RESULT cold ratio=%.2f (the first %d submissions since start: %.0f/s at %d connections, p50=%.1fms p99=%.1fms%s;"
                            + " target >= 0.35) | warm ratio=%.2f (target >= 0.5) | screening-service's CPU before this run: %.0f s%n",
                    coldRatio, cold.count(), cold.rate(), coldConnections, cold.p(50), cold.p(99),
                    cold.p(99) < 100 ? "" : String.format(", p99 over 100 ms; %.2f p99 aside", cold.rate() / best),
                    warmRatio, screeningCpuBefore);
        }
    }

    record Level(int connections, Result result) {
    }

    /** Waits (at most two minutes) until no active consumer group lags; returns what lag is left. */
    static Map<String, Long> drain(String kafka) throws Exception {
        long start = System.nanoTime();
        Map<String, Long> lag = KafkaWatch.lag(kafka);
        while (lag.values().stream().mapToLong(Long::longValue).sum() > 0 && System.nanoTime() - start < 120e9) {
            Thread.sleep(250);
            lag = KafkaWatch.lag(kafka);
        }
        return lag;
    }

    interface BiCall {
        void call(int student, int instrument) throws Exception;
    }

    /**
     * The 2 × {@code count} submissions of students {@code first} … {@code first + count - 1}, PHQ-A and GAD-7 mixed
     * evenly. A student answers one questionnaire after the other, as in the browser (and the city wave): their GAD-7
     * comes half a part after their PHQ-A, never at the same moment from two connections (which no student sends,
     * and which made the second wait on the first one's lock and commit).
     */
    static Call students(int first, int count, BiCall submit) {
        return i -> {
            int pair = i / 2;
            if (i % 2 == 0) {
                submit.call(first + pair, 0);
            } else {
                submit.call(first + (pair + count / 2) % count, 1);
            }
        };
    }

    /**
     * screening-service's access-code reads and the codes they carried so far (its metrics, on the management interface:
     * API port + 1000), or null if it has none.
     */
    static long[] loginReads(String screening) {
        try {
            URI api = URI.create(screening);
            URI metricsUri = URI.create(api.getScheme() + "://" + api.getHost() + ":" + (api.getPort() + 1000) + "/q/metrics");
            String metrics = HTTP.send(HttpRequest.newBuilder(metricsUri).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher reads = Pattern.compile("(?m)^xinqiao_login_reads_total(?:\\{[^}]*})? ([0-9.E+]+)").matcher(metrics);
            Matcher codes = Pattern.compile("(?m)^xinqiao_login_codes_read_total(?:\\{[^}]*})? ([0-9.E+]+)").matcher(metrics);
            return reads.find() && codes.find()
                    ? new long[]{(long) Double.parseDouble(reads.group(1)), (long) Double.parseDouble(codes.group(1))} : null;
        } catch (Exception e) {
            return null;
        }
    }

    static String login(String screening, String code) throws Exception {
        BenchHttp.Response r = client(screening).post("/api/student-sessions", null,
                "{\"accessCode\":\"" + code + "\",\"birthDate\":\"" + BORN + "\"}");
        if (r.status() != 201) {
            throw new IllegalStateException("login -> " + r.status() + " " + r.body());
        }
        int start = r.body().indexOf("\"token\":\"") + 9;
        return r.body().substring(start, r.body().indexOf('"', start));
    }
}
