package cn.xinqiao.bench;

import cn.xinqiao.stack.PostgresServer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import static cn.xinqiao.bench.KafkaWatch.lag;
import static cn.xinqiao.bench.KafkaWatch.listen;
import static cn.xinqiao.bench.StackApi.JSON;

/**
 * Issue 9's one-machine city wave ({@code ./xq up}, then {@code ./xq bench city}): a generated city of 1,000,000
 * students (1,000 schools of 1,000 in 10 counties; generated once with COPY, the enrolment then announced through
 * the screening API), one city-wide campaign whose access codes screening-service issues itself, and a bounded wave:
 * schools arrive one after another and each school's students log in with their codes and answer PHQ-A and GAD-7 as
 * fast as the platform takes them (a school-sized burst), 2 % answering item 9 (CRITICAL) and 1 % scoring HIGH.
 *
 * <p>Prints in one run: logins/s, submissions/s with p50/p99, the end-to-end latency from a critical submission to
 * its FHIR message on the hospital's topic (p50/p99), every consumer group's lag when the wave ends and how long the
 * platform takes to drain it, the durable-commit baseline of the same PostgreSQL (pgbench) with the ratio, CPU per
 * submission by process, and each process's peak RSS.
 */
public final class CityWaveBenchmark {

    static final List<String> COUNTIES = List.of("370811", "370812", "370826", "370827", "370828", "370829", "370830",
            "370831", "370832", "370881");
    static final String CAMPAIGN_NAME = "全市心理健康筛查压测 city wave benchmark";

    record Pupil(String code, String birthDate, String studentKey, String schoolId) {
    }

    public static void main(String[] args) throws Exception {
        int cityStudents = Integer.parseInt(System.getProperty("bench.city-students", "1000000"));
        int schools = Integer.parseInt(System.getProperty("bench.schools", "1000"));
        int perSchool = cityStudents / schools;
        int threads = Integer.parseInt(System.getProperty("bench.threads", "64"));
        int seconds = Integer.parseInt(System.getProperty("bench.duration", "90"));
        String screening = System.getProperty("bench.screening", "http://localhost:8081");
        String referral = System.getProperty("bench.referral", "http://localhost:8082");
        String issuer = System.getProperty("bench.issuer", "http://localhost:8180/realms/xinqiao");
        String kafka = System.getProperty("bench.kafka", "localhost:9092");
        int pgPort = Integer.parseInt(System.getProperty("bench.pg-port", System.getenv().getOrDefault("XQ_PG_PORT", "15432")));
        String db = "jdbc:postgresql://localhost:" + pgPort + "/screening";
        StackProcesses processes = new StackProcesses(Path.of(System.getProperty("xinqiao.root", ".")));
        String admin = StackApi.adminToken(issuer);

        List<String> schoolIds = new ArrayList<>();
        for (int i = 0; i < schools; i++) {
            schoolIds.add("S" + COUNTIES.get(i % COUNTIES.size()) + (500 + i / COUNTIES.size()));
        }
        try (Connection c = DriverManager.getConnection(db, PostgresServer.OPERATOR_USER, PostgresServer.OPERATOR_PASSWORD)) {
            // 1. the city (once): schools through the API, students by COPY, enrolment announced through the API
            long have = BenchCity.count(c, "select BenchCity.count(*) from student where school_id = any(?)", schoolIds);
            try (PreparedStatement born = c.prepareStatement( // a city generated before logins asked for the birth date
                    "update student set birth_date = make_date(2019 - grade, 1, 1) where school_id = any(?) and birth_date is null")) {
                born.setArray(1, c.createArrayOf("varchar", schoolIds.toArray()));
                born.executeUpdate();
            }
            if (have < (long) perSchool * schools) {
                long t0 = System.nanoTime();
                System.out.printf("[city] generating %,d students in %d schools (once; COPY)%n", perSchool * schools, schools);
                for (String id : schoolIds) {
                    BenchCity.putSchool(screening, admin, id);
                }
                BenchCity.generateStudents(c, schoolIds, perSchool);
                for (String id : schoolIds) {
                    BenchCity.putSchool(screening, admin, id); // publishes directory.schools.v1 with the enrolment counts
                }
                System.out.printf("[city] city generated in %.0f s%n", (System.nanoTime() - t0) / 1e9);
            }
            for (int i = 0; i < COUNTIES.size(); i++) {
                StackApi.send(admin, HttpRequest.newBuilder(URI.create(referral + "/api/partnerships/county/" + COUNTIES.get(i)))
                        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                                "hospitalId", i % 2 == 0 ? "H370800001" : "H370800002", "backupHospitalId", i % 2 == 0 ? "H370800002" : "H370800001")))));
            }

            // 2. the city-wide campaign (screening-service issues a code to every enrolled student)
            String campaign = BenchCity.campaign(c, screening, admin, schoolIds);
            long codes = BenchCity.count(c, "select BenchCity.count(*) from access_code where campaign_id = cast(? as uuid)", campaign);
            System.out.printf("[city] campaign %s: %,d access codes%n", campaign, codes);

            // 3. this run's schools: those nobody has answered in yet, in order; their codes as the schools print them
            // (the database keeps codes sealed: the slips API is the only way to a working code)
            int wanted = Math.max(50_000, seconds * 2_000);
            List<Pupil> pupils = new ArrayList<>();
            Map<String, Map<String, String>> codesOf = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select s.student_number, s.birth_date, s.student_key, s.school_id from access_code a join student s on s.id = a.student_id
                     where a.campaign_id = cast(? as uuid) and s.school_id = any(?)
                       and not exists (select 1 from submission x where x.campaign_id = a.campaign_id and x.school_id = s.school_id)
                     order by substr(s.school_id, 8), s.school_id, s.student_number""")) { // the counties' schools in turn
                ps.setString(1, campaign);
                ps.setArray(2, c.createArrayOf("varchar", schoolIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && pupils.size() < wanted) {
                        String school = rs.getString(4);
                        Map<String, String> schoolCodes = codesOf.computeIfAbsent(school, id -> BenchCity.slips(screening, admin, campaign, id));
                        pupils.add(new Pupil(schoolCodes.get(rs.getString(1)), rs.getString(2), rs.getString(3), school));
                    }
                }
            }
            System.out.printf("[city] %,d students of %,d schools not yet screened; wave of %d s with %d client connections%n",
                    pupils.size(), pupils.stream().map(Pupil::schoolId).distinct().count(), seconds, threads);

            // 4. the hospitals' side: FHIR messages on the hospital topics, matched to critical submissions by student key
            Map<String, Long> criticalSentAt = new ConcurrentHashMap<>();
            List<Long> fhirLatencyMicros = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean listening = new AtomicBoolean(true);
            Thread hospital = new Thread(() -> listen(kafka, criticalSentAt, fhirLatencyMicros, listening), "hospital-listener");
            hospital.start();
            Thread.sleep(3000); // assigned and at the end of the topics before the wave starts

            // 5. the wave
            var cpu0 = processes.snapshot();
            Wave wave = wave(screening, campaign, pupils, threads, seconds, criticalSentAt);
            var cpu1 = processes.snapshot();

            // 6. what is still in flight when the wave ends, and how long the platform takes to finish it
            Map<String, Long> lagAtEnd = lag(kafka);
            long drainStart = System.nanoTime();
            Map<String, Long> lag = lagAtEnd;
            while ((lag.values().stream().mapToLong(Long::longValue).sum() > 0 || fhirLatencyMicros.size() < criticalSentAt.size())
                    && System.nanoTime() - drainStart < 180e9) {
                Thread.sleep(500);
                lag = lag(kafka);
            }
            double drained = (System.nanoTime() - drainStart) / 1e9;
            listening.set(false);
            hospital.join(10_000);

            // 7. the durable-commit baseline of the same PostgreSQL, same concurrency
            PgbenchBaseline.Baseline baseline = PgbenchBaseline.baseline(pgPort, threads);
            var peak = processes.snapshot();

            double loginRate = wave.logins / wave.seconds;
            double submissionRate = wave.submissions.count() / wave.seconds;
            System.out.printf("[city] wave: %,d students of %d schools in %.1f s, errors %d%n", wave.students, wave.schools, wave.seconds, wave.errors);
            System.out.printf("[city] logins        %,8.0f/s   p50 %6.1f ms  p99 %6.1f ms%n", loginRate, wave.loginMicros.p(50), wave.loginMicros.p(99));
            System.out.printf("[city] submissions   %,8.0f/s   p50 %6.1f ms  p99 %6.1f ms%n", submissionRate, wave.submissions.p(50), wave.submissions.p(99));
            for (String line : wave.timeline) {
                System.out.println("[city]   " + line);
            }
            long[] fhir = fhirLatencyMicros.stream().mapToLong(Long::longValue).toArray();
            System.out.printf("[city] critical submission -> FHIR message on the hospital topic: %d of %d, p50 %.0f ms, p99 %.0f ms%n",
                    fhir.length, criticalSentAt.size(), ms(fhir, 50), ms(fhir, 99));
            System.out.printf("[city] consumer lag when the wave ended: %s; drained in %.1f s (left: %s)%n", lagAtEnd, drained, lag);
            System.out.println("[city] CPU per submission (the whole platform, while the wave ran): "
                    + StackProcesses.perOperation(StackProcesses.cpuBetween(cpu0, cpu1), Math.max(1, wave.submissions.count())));
            StringBuilder rss = new StringBuilder();
            peak.values().forEach(u -> rss.append(String.format("%s %d MB, ", u.name(), u.peakRssKb() / 1024)));
            System.out.println("[city] peak RSS: " + rss.substring(0, Math.max(0, rss.length() - 2)));
            System.out.printf("[city] baseline (%s): %.0f tx/s at %d connections%n", baseline.tool(), baseline.tps(), threads);
            System.out.printf("[city] RESULT city=%,d logins/s=%.0f submissions/s=%.0f p50=%.1fms p99=%.1fms critical->FHIR p50=%.0fms p99=%.0fms "
                            + "lag-at-end=%d drained=%.1fs baseline=%.0ftx/s ratio=%.2f%n",
                    codes, loginRate, submissionRate, wave.submissions.p(50), wave.submissions.p(99), ms(fhir, 50),
                    ms(fhir, 99), lagAtEnd.values().stream().mapToLong(Long::longValue).sum(), drained,
                    baseline.tps(), submissionRate / baseline.tps());
        }
    }

    // ---- the wave ---------------------------------------------------------------------------------------------------

    record Latencies(long[] micros, int count) {
        double p(int percentile) {
            return ms(Arrays.copyOf(micros, count), percentile);
        }
    }

    record Wave(int students, long schools, double seconds, long logins, Latencies loginMicros, Latencies submissions,
                int errors, List<String> timeline) {
    }

    static Wave wave(String screening, String campaign, List<Pupil> pupils, int threads, int seconds,
                     Map<String, Long> criticalSentAt) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger loginCount = new AtomicInteger();
        AtomicInteger submissionCount = new AtomicInteger();
        long[] loginMicros = new long[pupils.size()];
        long[] submissionMicros = new long[2 * pupils.size()];
        int windows = seconds / 10 + 2;
        AtomicLongArray loginsPerWindow = new AtomicLongArray(windows);
        AtomicLongArray submissionsPerWindow = new AtomicLongArray(windows);
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                try (BenchHttp http = new BenchHttp(screening, 30_000)) {
                    int i;
                    while (System.nanoTime() < deadline && (i = next.getAndIncrement()) < pupils.size()) {
                        Pupil pupil = pupils.get(i);
                        try {
                            long t0 = System.nanoTime();
                            BenchHttp.Response login = http.post("/api/student-sessions", null, "{\"accessCode\":\"" + pupil.code()
                                    + "\",\"birthDate\":\"" + pupil.birthDate() + "\"}");
                            if (login.status() != 201) {
                                throw new IllegalStateException("login -> " + login.status() + " " + login.body());
                            }
                            loginMicros[loginCount.getAndIncrement()] = (System.nanoTime() - t0) / 1000;
                            loginsPerWindow.incrementAndGet((int) ((System.nanoTime() - start) / 10_000_000_000L));
                            int tokenAt = login.body().indexOf("\"token\":\"") + 9;
                            String token = login.body().substring(tokenAt, login.body().indexOf('"', tokenAt));
                            boolean critical = i % 50 == 7;          // 2 %: item 9 answered (CRITICAL)
                            boolean high = i % 100 == 13;           // 1 %: PHQ-A total 21, no item 9 (HIGH)
                            int[] phq = high ? new int[]{3, 3, 3, 3, 3, 2, 2, 2, 0}
                                    : new int[]{1, 1, 0, 1, 0, 0, 1, 0, critical ? 1 : 0};
                            for (int k = 0; k < 2; k++) {
                                String body = JSON.writeValueAsString(Map.of("campaignId", campaign, "instrumentId", k == 0 ? "PHQ-A" : "GAD-7",
                                        "answers", k == 0 ? phq : new int[]{1, 0, 1, 0, 1, 0, 0}, "clientSubmissionId", UUID.randomUUID().toString()));
                                long s0 = System.nanoTime();
                                if (k == 0 && critical) {
                                    criticalSentAt.put(pupil.studentKey(), s0);
                                }
                                BenchHttp.Response r = http.post("/api/submissions", token, body);
                                if (r.status() != 201) {
                                    criticalSentAt.remove(pupil.studentKey());
                                    throw new IllegalStateException("submission -> " + r.status() + " " + r.body());
                                }
                                submissionMicros[submissionCount.getAndIncrement()] = (System.nanoTime() - s0) / 1000;
                                submissionsPerWindow.incrementAndGet((int) ((System.nanoTime() - start) / 10_000_000_000L));
                            }
                        } catch (Exception e) {
                            if (errors.incrementAndGet() <= 3) {
                                System.out.println("[city] error: " + e.getMessage());
                            }
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        double elapsed = (System.nanoTime() - start) / 1e9;
        int students = Math.min(next.get(), pupils.size());
        List<String> timeline = new ArrayList<>();
        for (int w = 0; w < windows && w * 10 < elapsed; w++) {
            double span = Math.min(10, elapsed - w * 10);
            timeline.add(String.format("%3d-%3d s: %,6.0f logins/s %,6.0f submissions/s", w * 10, w * 10 + (int) Math.ceil(span),
                    loginsPerWindow.get(w) / span, submissionsPerWindow.get(w) / span));
        }
        return new Wave(students, pupils.subList(0, students).stream().map(Pupil::schoolId).distinct().count(), elapsed,
                loginCount.get(), new Latencies(loginMicros, loginCount.get()), new Latencies(submissionMicros, submissionCount.get()),
                errors.get(), timeline);
    }

    /** Milliseconds at a percentile of microsecond samples (the benchmarks' one nearest-rank rule), NaN when none. */
    static double ms(long[] micros, int percentile) {
        return micros.length == 0 ? Double.NaN : HotlineBenchmark.p(micros, percentile);
    }
}
