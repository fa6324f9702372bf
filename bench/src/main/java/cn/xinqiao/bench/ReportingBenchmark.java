package cn.xinqiao.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Future;

/**
 * Reporting (issue 6): publishes a generated city — {@code bench.schools} (1,500) schools in the 11
 * counties of 济宁 (370800), one campaign over grades 7–9 — and {@code bench.events} (1,000,000)
 * screening.results.v1 events; then, in one run:
 * <ul>
 *   <li>baseline: a bare Kafka consumer reading the whole topic (no decoding, no database);</li>
 *   <li>a rebuild of every read model by replay ({@code POST /api/reports/rebuilds}), with its events/s
 *       (target ≥ 20,000/s on 2 cores) and the ratio to the bare read;</li>
 *   <li>the city-level screening report's latency (p50/p99, target p99 < 200 ms) and the county
 *       drill-down's, against the same HTTP + token stack answering the smallest report (enrolment of one
 *       school).</li>
 * </ul>
 * Run against {@code ./xq up}: {@code ./xq bench reporting}.
 */
public final class ReportingBenchmark {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    static final String[] COUNTIES = {"370811", "370812", "370826", "370827", "370828", "370829", "370830", "370831", "370832",
            "370881", "370883"};
    static final String[] RISKS = {"NONE", "LOW", "MODERATE", "HIGH", "CRITICAL"};
    static final String[] PHQ = {"minimal", "mild", "moderate", "moderately-severe", "severe"};
    static final String[] GAD = {"minimal", "mild", "moderate", "severe"};

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(System.getProperty("bench.events", "1000000"));
        int schools = Integer.parseInt(System.getProperty("bench.schools", "1500"));
        int queries = Integer.parseInt(System.getProperty("bench.queries", "300"));
        String kafka = System.getProperty("bench.kafka", "localhost:9092");
        String reporting = System.getProperty("bench.reporting", "http://localhost:8084");
        String issuer = System.getProperty("bench.issuer", "http://localhost:8180/realms/xinqiao");
        String admin = StackApi.userToken(issuer, "admin.platform");

        UUID campaign = UUID.randomUUID();
        List<String> schoolIds = new ArrayList<>();
        for (int i = 0; i < schools; i++) {
            schoolIds.add("S" + COUNTIES[i % COUNTIES.length] + String.format("%03d", 900 - i / COUNTIES.length));
        }
        long t0 = System.nanoTime();
        long produced = publish(kafka, campaign, schoolIds, events);
        double produceSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("[bench] published %,d screening.results.v1 events for %,d schools in %.1f s (%.0f/s)%n",
                produced, schools, produceSeconds, produced / produceSeconds);

        long[] read = bareRead(kafka);
        double bare = read[0] / (read[1] / 1e9);
        System.out.printf("[bench] baseline: a bare consumer reads the %,d events of screening.results.v1 at %.0f/s%n", read[0], bare);

        JsonNode started = JSON.readTree(HotlineBenchmark.send(admin, "POST", reporting + "/api/reports/rebuilds", ""));
        String id = started.path("id").asText();
        long r0 = System.nanoTime();
        JsonNode run = started;
        long lastPrint = 0;
        while (run.path("state").asText().equals("RUNNING")) {
            Thread.sleep(500);
            run = JSON.readTree(HotlineBenchmark.send(admin, "GET", reporting + "/api/reports/rebuilds/" + id, ""));
            if (System.nanoTime() - lastPrint > 5e9) {
                lastPrint = System.nanoTime();
                System.out.printf("[bench] rebuild: %,d / %,d events%n", run.path("eventsRead").asLong(), run.path("eventsTotal").asLong());
            }
        }
        double rebuildSeconds = (System.nanoTime() - r0) / 1e9;
        if (!run.path("state").asText().equals("DONE")) {
            throw new IllegalStateException("rebuild failed: " + run);
        }
        long replayed = run.path("eventsRead").asLong();
        double rate = replayed / rebuildSeconds;
        System.out.printf("[bench] rebuild done: %,d events (all topics) in %.1f s = %.0f events/s; rejected %d; rows differing from the live read models (paused part-way through the burst) %s%n",
                replayed, rebuildSeconds, rate, run.path("rejected").asLong(), run.path("differences"));

        String analyst = StackApi.userToken(issuer, "analyst.city");
        String city = reporting + "/api/reports/screening?level=city&code=370800&campaignId=" + campaign;
        String county = reporting + "/api/reports/screening?level=county&code=370811&campaignId=" + campaign;
        String smallest = reporting + "/api/reports/enrolment?level=school&code=" + schoolIds.get(0);
        JsonNode report = JSON.readTree(HotlineBenchmark.send(analyst, "GET", city, ""));
        System.out.printf("[bench] city report: %s, coverage %s%n", report.path("name").asText(),
                report.path("tables").get(0).path("totals").path("cells").get(2).path("display").asText());
        long[] cityLatency = measure(analyst, city, queries);
        long[] countyLatency = measure(analyst, county, queries);
        long[] baseline = measure(analyst, smallest, queries);
        System.out.printf("[bench] RESULT reporting rebuild: %,d events in %.1f s = %.0f events/s (target >= 20,000/s); "
                        + "bare Kafka read %.0f/s; ratio rebuild/bare=%.2f%n", replayed, rebuildSeconds, rate, bare, rate / bare);
        System.out.printf("[bench] RESULT reporting city report (%,d schools, %,d results): p50=%.1fms p99=%.1fms (target p99 < 200 ms); "
                        + "county drill-down p50=%.1fms p99=%.1fms; baseline (smallest report) p50=%.1fms p99=%.1fms; ratio p99 city/baseline=%.1f%n",
                schools, events, HotlineBenchmark.p(cityLatency, 50), HotlineBenchmark.p(cityLatency, 99),
                HotlineBenchmark.p(countyLatency, 50), HotlineBenchmark.p(countyLatency, 99),
                HotlineBenchmark.p(baseline, 50), HotlineBenchmark.p(baseline, 99),
                HotlineBenchmark.p(cityLatency, 99) / Math.max(0.001, HotlineBenchmark.p(baseline, 99)));
    }

    /** Sequential requests after 20 not counted; micros per request. */
    static long[] measure(String token, String url, int n) throws Exception {
        for (int i = 0; i < 20; i++) {
            HotlineBenchmark.send(token, "GET", url, "");
        }
        long[] micros = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            HotlineBenchmark.send(token, "GET", url, "");
            micros[i] = (System.nanoTime() - t) / 1000;
        }
        return micros;
    }

    static long publish(String bootstrap, UUID campaign, List<String> schoolIds, int events) throws Exception {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Random random = new Random(42);
        long sent = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (String school : schoolIds) {
                StringBuilder enrolment = new StringBuilder();
                int total = 0;
                for (int grade = 7; grade <= 9; grade++) {
                    for (String sex : new String[]{"FEMALE", "MALE"}) {
                        int n = 60 + random.nextInt(20);
                        total += n;
                        enrolment.append(enrolment.isEmpty() ? "" : ",").append("{\"grade\":").append(grade).append(",\"sex\":\"")
                                .append(sex).append("\",\"count\":").append(n).append('}');
                    }
                }
                send(producer, "directory.schools.v1", school, "cn.xinqiao.directory.school.v1", school,
                        "{\"schoolId\":\"" + school + "\",\"name\":\"基准学校" + school.substring(7) + "\",\"districtCode\":\""
                                + school.substring(1, 7) + "\",\"cityCode\":\"370800\",\"enrolment\":[" + enrolment + "],\"total\":" + total
                                + ",\"updatedAt\":\"" + now + "\"}");
            }
            StringBuilder ids = new StringBuilder();
            schoolIds.forEach(s -> ids.append(ids.isEmpty() ? "" : ",").append('"').append(s).append('"'));
            send(producer, "directory.campaigns.v1", campaign.toString(), "cn.xinqiao.directory.campaign.v1", campaign.toString(),
                    "{\"campaignId\":\"" + campaign + "\",\"name\":\"基准测试筛查\",\"ownerArea\":\"370800\",\"instruments\":[\"PHQ-A\",\"GAD-7\"],"
                            + "\"grades\":[7,8,9],\"schoolIds\":[" + ids + "],\"opensAt\":\"" + now.minusDays(7) + "\",\"closesAt\":\""
                            + now.plusDays(7) + "\",\"updatedAt\":\"" + now + "\"}");
            Future<?> last = null;
            for (int student = 0; sent < events; student++) {
                String school = schoolIds.get(student % schoolIds.size());
                int grade = 7 + (student / schoolIds.size()) % 3;
                String sex = student % 2 == 0 ? "FEMALE" : "MALE";
                String key = String.format("bench-%s-%08d", campaign.toString().substring(0, 8), student);
                for (int k = 0; k < 2 && sent < events; k++) {
                    boolean phq = k == 0;
                    if (!phq && random.nextInt(10) < 3) {
                        continue; // 70 % also answer GAD-7
                    }
                    int risk = random.nextInt(100) < 3 ? 3 + random.nextInt(2) : random.nextInt(3);
                    String band = phq ? PHQ[random.nextInt(PHQ.length)] : GAD[random.nextInt(GAD.length)];
                    UUID result = UUID.randomUUID();
                    last = send(producer, "screening.results.v1", campaign.toString(), "cn.xinqiao.screening.result.v1",
                            result.toString(), "{\"resultId\":\"" + result + "\",\"campaignId\":\"" + campaign + "\",\"studentKey\":\"" + key
                                    + "\",\"schoolId\":\"" + school + "\",\"districtCode\":\"" + school.substring(1, 7) + "\",\"grade\":" + grade
                                    + ",\"sex\":\"" + sex + "\",\"instrumentId\":\"" + (phq ? "PHQ-A" : "GAD-7")
                                    + "\",\"instrumentVersion\":\"1.0\",\"mode\":\"" + (random.nextInt(10) == 0 ? "PAPER" : "ONLINE")
                                    + "\",\"totalScore\":" + random.nextInt(28) + ",\"band\":\"" + band + "\",\"criticalItem\":" + (risk == 4)
                                    + ",\"riskLevel\":\"" + RISKS[risk] + "\",\"rule\":\"bench\",\"policyVersion\":\"2026.1\",\"submittedAt\":\""
                                    + now.minusMinutes(student % 10_000) + "\"}");
                    sent++;
                }
            }
            producer.flush();
            if (last != null) {
                last.get();
            }
        }
        return sent;
    }

    static Future<?> send(KafkaProducer<String, String> producer, String topic, String key, String type, String subject, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        record.headers().add(new RecordHeader("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8)));
        record.headers().add(new RecordHeader("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)));
        record.headers().add(new RecordHeader("ce_type", type.getBytes(StandardCharsets.UTF_8)));
        record.headers().add(new RecordHeader("ce_source", "/xinqiao/bench".getBytes(StandardCharsets.UTF_8)));
        record.headers().add(new RecordHeader("ce_subject", subject.getBytes(StandardCharsets.UTF_8)));
        record.headers().add(new RecordHeader("content-type", "application/json".getBytes(StandardCharsets.UTF_8)));
        return producer.send(record);
    }

    /** Reads screening.results.v1 from the beginning to its end offsets with no processing: {records, nanos}. */
    static long[] bareRead(String bootstrap) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-bare-read-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 32 * 1024 * 1024,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor("screening.results.v1").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long t0 = System.nanoTime();
            long n = 0;
            long bytes = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    n++;
                    bytes += r.value().length();
                }
            }
            long nanos = System.nanoTime() - t0;
            System.out.printf("[bench] bare read: %,d records, %.0f MB of values%n", n, bytes / 1e6);
            return new long[]{n, nanos};
        }
    }
}
