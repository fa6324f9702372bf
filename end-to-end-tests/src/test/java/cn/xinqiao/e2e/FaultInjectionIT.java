package cn.xinqiao.e2e;

import cn.xinqiao.stack.LocalStack;
import cn.xinqiao.stack.PostgresServer;
import cn.xinqiao.testing.KafkaProbe;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8's fault-injection run, on a stack of its own (its own failsafe execution, so nothing else shares it):
 * a stream of paper submissions (default 3,000 for 1,000 students, ≈ 5 % critical; larger runs with
 * {@code -Dchaos.submissions}) and hotline calls (critical with an identified student → referral; anonymous →
 * emergency escalation), released in six parts, the next one as each fault strikes so that every fault lands with work
 * in flight however fast the machine, flows through the real stack while, in
 * turn, the Kafka broker is SIGKILLed and restarted, referral-service is SIGKILLed mid-batch and restarted,
 * PostgreSQL is restarted, screening-service (with its outbox relay) is SIGKILLed and restarted, and notification-service
 * is SIGKILLed while its ladders climb (a rung every few seconds in this run) and restarted. The client
 * retries what failed, with the same idempotency keys. At the end it prints and asserts: every critical submission
 * produced exactly one referral request and one referral with exactly one FHIR message (distinct ce_id) on the
 * partner hospital's topic; every submission was counted once by the bureau's report; nothing is left in an
 * outbox; no student's name or guardian phone appears in any log of the run; every referral raised one alert whose
 * ladder took each step once, to its end unless the hospital's answer settled it, with each e-mail sent once.
 *
 * <p>One command: {@code ./xq chaos} (also part of {@code ./mvnw -B verify}); bounded: every wait has a deadline.
 * {@code ./xq chaos -Dchaos.submissions=N} to size it.
 */
class FaultInjectionIT {

    private static final String SCHOOL = "S370811002"; // 任城区实验初级中学: partner hospital H370800001
    private static final String HOSPITAL_TOPIC = "referral.hospital.H370800001.v1";
    private static final int SUBMISSIONS = Integer.getInteger("chaos.submissions", 3_000);
    /** The stream is released in parts, one more as each fault strikes: every fault lands with a fresh part in flight. */
    private static final int PARTS = 6;
    private static final int IDENTIFIED_CALLS = 40;
    private static final int ANONYMOUS_CALLS = 20;

    @BeforeAll
    static void up() throws Exception {
        Stack.get();
        // like any real client: a request to a process that died mid-answer times out and is sent again (same keys)
        RestAssured.config = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.connection.timeout", 5_000).setParam("http.socket.timeout", 30_000));
    }

    @AfterAll
    static void down() {
        RestAssured.config = RestAssuredConfig.config();
    }

    record Task(String label, Supplier<Response> send, Set<Integer> done) {
    }

    /** The platform said no to something the run sends (a 4xx that no retry can change): a bug in the run or the platform. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    @Test
    void nothingIsLostOrDuplicatedWhileTheBrokerTheServicesAndTheDatabaseAreKilled() throws Exception {
        LocalStack stack = Stack.get();
        String screening = Stack.url("screening-service");
        String hotline = Stack.url("hotline-service");
        String counselor = Stack.token("counselor.rc2");
        String operator = Stack.token("operator.hl");
        Instant start = Instant.now();
        int students = SUBMISSIONS / 3;

        // a grade of the school, imported like any roster (names and phones fictitious, and planted for the log scan)
        StringBuilder csv = new StringBuilder("学号,姓名,性别,出生日期,年级,班级,监护人,监护人电话\n");
        for (int i = 0; i < students; i++) {
            csv.append(String.format("F%05d,故障测试生%05d,%s,2012-03-04,9,压测%02d班,故障测试家长%05d,139%08d%n", i, i, i % 2 == 0 ? "男" : "女",
                    i / 100 + 1, i, i));
        }
        String importId = given().auth().oauth2(counselor).contentType("text/csv").body(csv.toString().getBytes(StandardCharsets.UTF_8))
                .post(screening + "/api/schools/" + SCHOOL + "/roster-imports").then().statusCode(202).extract().path("id");
        Instant deadline = Instant.now().plusSeconds(120);
        while (!"DONE".equals(given().auth().oauth2(counselor).get(screening + "/api/roster-imports/" + importId).path("status"))) {
            assertTrue(Instant.now().isBefore(deadline), "the roster import finishes");
            Thread.sleep(200);
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String campaign = given().auth().oauth2(counselor).contentType("application/json")
                .body(Map.of("name", "故障注入 fault injection", "instruments", List.of("PHQ-A", "GAD-7", "ASQ"), "schoolIds", List.of(SCHOOL),
                        "grades", List.of(9), "opensAt", now.minusMinutes(1).toString(), "closesAt", now.plusDays(1).toString()))
                .post(screening + "/api/campaigns").then().statusCode(201).extract().path("id");

        // the work: every submission and call is retried until the platform has taken it, with the same keys
        List<Task> tasks = new ArrayList<>();
        Map<String, String> criticalSubmissions = new ConcurrentHashMap<>(); // clientSubmissionId -> submissionId
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < students; i++) {
            String student = String.format("F%05d", i);
            boolean critical = i % 7 == 0;
            for (String instrument : List.of("PHQ-A", "GAD-7", "ASQ")) {
                int[] answers = switch (instrument) {
                    case "PHQ-A" -> critical ? new int[]{1, 1, 0, 0, 1, 0, 0, 0, 2} : new int[9];
                    case "GAD-7" -> new int[7];
                    default -> new int[5];
                };
                String clientId = "chaos-" + student + "-" + instrument;
                tasks.add(new Task(clientId, () -> given().auth().oauth2(counselor).contentType("application/json")
                        .body(Map.of("campaignId", campaign, "instrumentId", instrument, "answers", answers, "clientSubmissionId", clientId,
                                "studentNumber", student, "mode", "PAPER")).post(screening + "/api/submissions"), Set.of(200, 201)));
                if (critical && instrument.equals("PHQ-A")) {
                    criticalSubmissions.put(clientId, "");
                }
            }
        }
        List<String> identifiedCalls = new ArrayList<>();
        Map<String, String> callIds = new ConcurrentHashMap<>();
        for (int c = 0; c < IDENTIFIED_CALLS + ANONYMOUS_CALLS; c++) {
            boolean identified = c < IDENTIFIED_CALLS;
            String student = String.format("F%05d", 7 * c + 3); // never one of the critical students
            String label = "call-" + c;
            if (identified) {
                identifiedCalls.add(label);
            }
            Map<String, Object> body = new HashMap<>(Map.of("channel", "PHONE", "callerType", "STUDENT", "categories", List.of("mental-health.suicidal-thoughts"),
                    "riskAnswers", Map.of("wishedDead", true, "thoughtsNow", true), "riskLevel", "CRITICAL", "identified", identified));
            if (identified) {
                body.put("schoolId", SCHOOL);
                body.put("studentNumber", student);
            }
            tasks.add(new Task(label, () -> {
                String id = callIds.get(label);
                if (id == null) {
                    Response created = given().auth().oauth2(operator).contentType("application/json").body(body).post(hotline + "/api/calls");
                    if (created.statusCode() != 201) {
                        return created;
                    }
                    id = created.path("id");
                    callIds.put(label, id);
                }
                return given().auth().oauth2(operator).contentType("application/json").post(hotline + "/api/calls/" + id + "/close"); // closing again changes nothing
            }, Set.of(200)));
        }
        java.util.Collections.shuffle(tasks, new java.util.Random(7));

        java.util.concurrent.LinkedBlockingQueue<Task> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        List<List<Task>> parts = new ArrayList<>();
        for (int p = 0; p < PARTS; p++) {
            parts.add(tasks.subList(p * tasks.size() / PARTS, (p + 1) * tasks.size() / PARTS));
        }
        AtomicInteger released = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean allReleased = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicInteger partsReleased = new AtomicInteger();
        Runnable releaseNext = () -> { // the first part now, then one as each of the five faults strikes
            List<Task> part = parts.get(partsReleased.getAndIncrement());
            queue.addAll(part);
            released.addAndGet(part.size());
            allReleased.set(partsReleased.get() == PARTS);
        };
        releaseNext.run();
        AtomicInteger done = new AtomicInteger();
        AtomicLong retries = new AtomicLong();
        ExecutorService workers = Executors.newFixedThreadPool(4);
        Instant driveDeadline = Instant.now().plus(Duration.ofMinutes(8));
        List<java.util.concurrent.Future<Object>> running = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            running.add(workers.submit(() -> {
                while (true) {
                    Task task = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (task == null) {
                        if (allReleased.get() && queue.isEmpty()) {
                            break;
                        }
                        continue; // the next part comes with the next fault
                    }
                    while (true) {
                        try {
                            Response r = task.send().get();
                            if (task.done().contains(r.statusCode())) {
                                if (criticalSubmissions.containsKey(task.label())) {
                                    criticalSubmissions.put(task.label(), r.path("submissionId"));
                                }
                                accepted.add(task.label());
                                break;
                            }
                            if (r.statusCode() >= 400 && r.statusCode() < 500 && r.statusCode() != 401 && r.statusCode() != 409 && r.statusCode() != 429) {
                                throw new Refused(task.label() + " refused: " + r.statusCode() + " " + r.asString());
                            }
                        } catch (Refused e) {
                            throw e;
                        } catch (Exception e) {
                            // connection refused / reset while a part is down (RestAssured rethrows the IOException): try again
                        }
                        retries.incrementAndGet();
                        if (Instant.now().isAfter(driveDeadline)) {
                            throw new IllegalStateException(task.label() + " never went through");
                        }
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return null;
                        }
                    }
                    done.incrementAndGet();
                }
                return null;
            }));
        }

        // the faults, one after another while the stream flows: each strikes as the next part of the stream is released
        Map<String, String> faults = new LinkedHashMap<>();
        nearlyDone(done, released, tasks.size() / PARTS, running);
        releaseNext.run();
        faults.put("Kafka broker SIGKILL + restart", inFlight(done, released) + timed(() -> {
            stack.kill("kafka");
            Thread.sleep(5000);
            stack.restart("kafka");
        }));
        nearlyDone(done, released, tasks.size() / PARTS, running);
        releaseNext.run();
        // the hospital answers what it has so far over its replies topic (each reply delivered twice), and
        // referral-service dies while it applies them
        Set<String> replied = ConcurrentHashMap.newKeySet();
        replyAccepted(stack, start, replied);
        faults.put("referral-service SIGKILL mid-batch (requests and hospital replies) + restart", inFlight(done, released) + timed(() -> {
            stack.kill("referral-service");
            Thread.sleep(2000);
            stack.restart("referral-service");
        }));
        nearlyDone(done, released, tasks.size() / PARTS, running);
        releaseNext.run();
        faults.put("PostgreSQL restart", inFlight(done, released) + timed(stack::restartPostgres));
        nearlyDone(done, released, tasks.size() / PARTS, running);
        releaseNext.run();
        faults.put("screening-service (outbox relay) SIGKILL + restart", inFlight(done, released) + timed(() -> {
            stack.kill("screening-service");
            Thread.sleep(2000);
            stack.restart("screening-service");
        }));
        nearlyDone(done, released, tasks.size() / PARTS, running);
        releaseNext.run();
        // ladders are climbing (a rung every few seconds in this run) and e-mails going out when it dies
        faults.put("notification-service SIGKILL mid-ladder + restart", inFlight(done, released) + timed(() -> {
            stack.kill("notification-service");
            Thread.sleep(2000);
            stack.restart("notification-service");
        }));
        workers.shutdown();
        assertTrue(workers.awaitTermination(10, TimeUnit.MINUTES), "the stream finished");
        for (var worker : running) {
            worker.get(); // a refusal surfaces here with the platform's answer
        }
        long driven = Duration.between(start, Instant.now()).toSeconds();
        assertEquals(tasks.size(), accepted.size(), "every submission and call was taken");

        // the platform catches up: outboxes drain, requests become referrals, referrals reach the hospital
        Instant converge = Instant.now().plusSeconds(240);
        Map<String, Long> unpublished = Map.of();
        long dispatched = -1;
        int expectedReferrals = criticalSubmissions.size() + IDENTIFIED_CALLS;
        while (Instant.now().isBefore(converge)) {
            unpublished = unpublished();
            dispatched = single("referral", "select count(*) from referral where school_id = ? and first_requested_at >= ? and dispatched_at is not null", SCHOOL, start);
            if (unpublished.values().stream().allMatch(v -> v == 0) && dispatched >= expectedReferrals) {
                break;
            }
            Thread.sleep(1000);
        }

        // the hospital answers the rest; every answer is applied exactly once
        replyAccepted(stack, start, replied);
        long acceptedReplies = 0;
        for (Instant until = Instant.now().plusSeconds(120); Instant.now().isBefore(until); Thread.sleep(1000)) {
            acceptedReplies = single("referral", "select count(distinct referral_id) from referral_transition where step = 'accepted' and actor = ?"
                    + " and referral_id in (select id from referral where school_id = ? and first_requested_at >= ?)", "hospital:H370800001", SCHOOL, start);
            if (acceptedReplies >= replied.size()) {
                break;
            }
        }
        long duplicatedReplies = single("referral", "select count(*) - count(distinct referral_id) from referral_transition where step = 'accepted'"
                + " and referral_id in (select id from referral where school_id = ? and first_requested_at >= ?)", SCHOOL, start);

        // what reached where
        long stored = single("screening", "select count(*) from submission where campaign_id = ?::uuid", campaign);
        long storedDistinct = single("screening", "select count(distinct client_submission_id) from submission where campaign_id = ?::uuid", campaign);
        Map<String, Long> requestsBySubmission = counts("referral", "select source_ref::text, count(*) from referral_request where campaign_id = ?::uuid group by source_ref", campaign);
        Map<String, Long> requestsByCall = counts("referral", "select source_ref::text, count(*) from referral_request where source = 'HOTLINE' and requested_at >= ? group by source_ref", start);
        Map<String, Long> referralsByStudent = counts("referral", "select student_key, count(*) from referral where school_id = ? and first_requested_at >= ? group by student_key", SCHOOL, start);
        Map<String, Long> referralIds = counts("referral", "select id::text, 1 from referral where school_id = ? and first_requested_at >= ?", SCHOOL, start);
        long escalations = single("hotline", "select count(*) from emergency_escalation where opened_at >= ?", start);

        KafkaProbe kafka = new KafkaProbe(stack.kafkaBootstrap());
        List<ConsumerRecord<String, String>> messages = kafka.readUntil(HOSPITAL_TOPIC, Duration.ofSeconds(60),
                rs -> rs.stream().map(ConsumerRecord::key).filter(referralIds::containsKey).distinct().count() >= referralIds.size());
        Map<String, Set<String>> ceIdsByReferral = new HashMap<>();
        Map<String, Integer> recordsByReferral = new HashMap<>();
        for (ConsumerRecord<String, String> m : messages) {
            if (referralIds.containsKey(m.key())) {
                ceIdsByReferral.computeIfAbsent(m.key(), k -> new HashSet<>()).add(KafkaProbe.header(m, "ce_id"));
                recordsByReferral.merge(m.key(), 1, Integer::sum);
            }
        }
        Float paper = given().auth().oauth2(counselor).get(Stack.url("reporting-service") + "/api/reports/screening?level=school&code=" + SCHOOL
                + "&campaignId=" + campaign).then().statusCode(200).extract().path("tables.find { it.id == 'modes' }.totals.cells[1].value");
        long counted = paper == null ? -1 : paper.longValue();
        // the report's "modes" counts screened students × instruments once each; reporting may lag: wait for it
        Instant reportDeadline = Instant.now().plusSeconds(120);
        while (counted < SUBMISSIONS && Instant.now().isBefore(reportDeadline)) {
            Thread.sleep(1000);
            paper = given().auth().oauth2(counselor).get(Stack.url("reporting-service") + "/api/reports/screening?level=school&code=" + SCHOOL
                    + "&campaignId=" + campaign).then().statusCode(200).extract().path("tables.find { it.id == 'modes' }.totals.cells[1].value");
            counted = paper == null ? -1 : paper.longValue();
        }

        long lostSubmissions = Math.max(0, tasks.size() - ANONYMOUS_CALLS - IDENTIFIED_CALLS - stored);
        long duplicatedSubmissions = stored - storedDistinct;
        long lostRequests = criticalSubmissions.values().stream().filter(id -> !requestsBySubmission.containsKey(id)).count()
                + IDENTIFIED_CALLS - requestsByCall.size();
        long duplicatedRequests = requestsBySubmission.values().stream().mapToLong(n -> n - 1).sum() + requestsByCall.values().stream().mapToLong(n -> n - 1).sum();
        long duplicatedReferrals = referralsByStudent.values().stream().mapToLong(n -> n - 1).sum();
        long lostReferrals = Math.max(0, expectedReferrals - referralsByStudent.size());
        long lostMessages = referralIds.keySet().stream().filter(id -> !ceIdsByReferral.containsKey(id)).count();
        long duplicatedMessages = ceIdsByReferral.values().stream().mapToLong(s -> s.size() - 1).sum();
        long redelivered = recordsByReferral.entrySet().stream().mapToLong(e -> e.getValue() - ceIdsByReferral.get(e.getKey()).size()).sum();
        List<String> leakedToLogs = scanLogs();
        Ladders ladders = ladders(stack, start, referralIds.keySet());

        System.out.printf("fault injection: %d submissions (%d critical) + %d hotline calls in %d s, %d client retries%n",
                tasks.size() - IDENTIFIED_CALLS - ANONYMOUS_CALLS, criticalSubmissions.size(), IDENTIFIED_CALLS + ANONYMOUS_CALLS, driven, retries.get());
        faults.forEach((fault, took) -> System.out.printf("  fault: %-52s %s%n", fault, took));
        System.out.printf("  submissions stored: %d — lost: %d, duplicated: %d%n", stored, lostSubmissions, duplicatedSubmissions);
        System.out.printf("  referral requests (screening + hotline): lost: %d, duplicated: %d%n", lostRequests, duplicatedRequests);
        System.out.printf("  referrals: %d for %d expected — lost: %d, duplicated: %d%n", referralIds.size(), expectedReferrals, lostReferrals, duplicatedReferrals);
        System.out.printf("  FHIR messages on %s: lost: %d, duplicated: %d (same ce_id redelivered and deduplicated by the receiver: %d)%n",
                HOSPITAL_TOPIC, lostMessages, duplicatedMessages, redelivered);
        System.out.printf("  hospital replies (FHIR Task on referral.hospital.H370800001.replies.v1, each sent twice): %d sent, applied %d — lost: %d, duplicated: %d%n",
                replied.size(), acceptedReplies, replied.size() - acceptedReplies, duplicatedReplies);
        System.out.printf("  emergency escalations: %d of %d; bureau report counted %d of %d submissions; unpublished outbox rows: %s%n",
                escalations, ANONYMOUS_CALLS, counted, SUBMISSIONS, unpublished);
        System.out.printf("  personal data in the logs of the run: %s%n", leakedToLogs.isEmpty() ? "none" : leakedToLogs);
        System.out.printf("  alerts: %d for %d referrals — lost: %d, duplicated: %d; ladder steps taken: %d (settled by the hospital's answer: %d"
                        + " alerts) — a person told twice: %d, a step missing: %d, a ladder ended short: %d; e-mails: %d sent — lost: %d,"
                        + " sent twice: %d, uncertain (in flight when the service died, not resent): %d%n",
                ladders.alerts, referralIds.size(), ladders.lostAlerts, ladders.duplicatedAlerts, ladders.steps, ladders.settled, ladders.toldTwice,
                ladders.gaps, ladders.endedShort, ladders.mailsSent, ladders.mailsLost, ladders.mailsTwice, ladders.uncertain);

        assertEquals(0, lostSubmissions + duplicatedSubmissions, "submissions: lost or duplicated");
        assertEquals(0, lostRequests + duplicatedRequests, "referral requests: lost or duplicated");
        assertEquals(0, lostReferrals + duplicatedReferrals, "referrals: lost or duplicated");
        assertEquals(expectedReferrals, referralIds.size(), "one referral per critical student and identified caller");
        assertEquals(0, lostMessages + duplicatedMessages, "FHIR messages: lost or duplicated");
        assertEquals(ANONYMOUS_CALLS, escalations, "one emergency escalation per anonymous critical caller");
        assertTrue(replied.size() > IDENTIFIED_CALLS, "the hospital answered over Kafka: " + replied.size());
        assertEquals(0, replied.size() - acceptedReplies + duplicatedReplies, "hospital replies: lost or duplicated");
        assertEquals(SUBMISSIONS, counted, "the bureau's report counts every submission once");
        assertTrue(unpublished.values().stream().allMatch(v -> v == 0), "nothing stuck in an outbox: " + unpublished);
        assertEquals(List.of(), leakedToLogs, "no personal data in the logs");
        assertEquals(0, ladders.lostAlerts + ladders.duplicatedAlerts, "alerts: lost or duplicated");
        assertEquals(0, ladders.toldTwice + ladders.gaps + ladders.endedShort, "ladder steps: repeated, missing or cut short");
        assertEquals(0, ladders.mailsLost + ladders.mailsTwice, "e-mails: lost or sent twice");
        assertTrue(ladders.steps > ladders.alerts, "ladders climbed during the run: " + ladders.steps);
    }

    /** What notification-service did with this run's referrals (issue 27): counts that must be 0, and what happened. */
    record Ladders(long alerts, long lostAlerts, long duplicatedAlerts, long steps, long settled, long toldTwice, long gaps,
                   long endedShort, long mailsSent, long mailsLost, long mailsTwice, long uncertain) {
    }

    /**
     * Every dispatched referral raised exactly one alert for the hospital; every ladder took its steps once each, in order,
     * and — unless the hospital's answer settled it — ran to its end (two on-call clinicians, the lead, the county's duty
     * officer); every e-mail the delivery log calls sent arrived once, none twice.
     */
    private static Ladders ladders(LocalStack stack, Instant start, Set<String> referrals) throws Exception {
        String scope = "from alert a where a.org_id = 'H370800001' and a.kind = 'REFERRAL_NEW' and a.created_at >= ?";
        Map<String, Long> bySubject = Map.of();
        for (Instant until = Instant.now().plusSeconds(180); Instant.now().isBefore(until); Thread.sleep(1000)) {
            bySubject = counts("notification", "select a.subject, count(*) " + scope + " group by a.subject", start);
            long climbing = single("notification", "select count(*) " + scope + " and a.acked_at is null and a.next_step_at is not null", start);
            long pending = single("notification", "select count(*) from delivery d join notification n on n.id = d.notification_id"
                    + " join alert a on a.id = n.alert_id where a.created_at >= ? and d.status in ('PENDING', 'SENDING')", start);
            if (bySubject.keySet().containsAll(referrals) && climbing == 0 && pending == 0) {
                break;
            }
        }
        Map<String, Long> found = bySubject;
        long lost = referrals.stream().filter(r -> !found.containsKey(r)).count();
        long duplicated = referrals.stream().mapToLong(r -> Math.max(0, found.getOrDefault(r, 0L) - 1)).sum();
        String people = "from notification n join alert a on a.id = n.alert_id where a.org_id = 'H370800001' and a.kind = 'REFERRAL_NEW'"
                + " and a.created_at >= ?";
        long steps = single("notification", "select count(*) " + people, start);
        long toldTwice = single("notification", "select count(*) from (select n.alert_id, n.recipient " + people
                + " group by 1, 2 having count(*) > 1) x", start);
        long gaps = single("notification", "select count(*) from (select n.alert_id " + people + " group by 1 having max(n.step) + 1 <> count(*)) x", start);
        long endedShort = single("notification", "select count(*) from (select a.id " + people
                + " and a.acked_at is null and a.next_step_at is null group by a.id having count(*) < 4) x", start);
        long settled = single("notification", "select count(*) " + scope + " and a.acked_by like 'referral:%'", start);
        Map<String, Long> sent = counts("notification", "select n.id::text, 1 " + people.replace("from notification n",
                "from delivery d join notification n on n.id = d.notification_id") + " and d.channel = 'EMAIL' and d.status = 'SENT'", start);
        long uncertain = single("notification", "select count(*) " + people.replace("from notification n",
                "from delivery d join notification n on n.id = d.notification_id") + " and d.status = 'UNCERTAIN'", start);
        Map<String, Integer> mails = new HashMap<>();
        java.util.regex.Pattern link = java.util.regex.Pattern.compile("/staff/ack/([0-9a-f-]{36})");
        for (var m : stack.mail().received()) {
            java.util.regex.Matcher id = link.matcher(m.body());
            if (id.find()) {
                mails.merge(id.group(1), 1, Integer::sum);
            }
        }
        long mailsLost = sent.keySet().stream().filter(id -> !mails.containsKey(id)).count();
        Map<String, Long> ofRun = counts("notification", "select n.id::text, 1 " + people, start);
        long mailsTwice = ofRun.keySet().stream().mapToLong(id -> Math.max(0, mails.getOrDefault(id, 0) - 1)).sum();
        return new Ladders(found.size(), lost, duplicated, steps, settled, toldTwice, gaps, endedShort, sent.size(), mailsLost, mailsTwice, uncertain);
    }

    /**
     * What a hospital's integration engine does: an accepted FHIR Task for each dispatched referral still waiting, on the
     * hospital's replies topic, every record sent twice with the same ce_id (a redelivery).
     */
    private static void replyAccepted(LocalStack stack, Instant since, Set<String> replied) throws Exception {
        Map<String, Long> waiting = counts("referral", "select id::text, 1 from referral where school_id = ? and first_requested_at >= ?"
                + " and dispatched_at is not null and status = 'requested' and hospital_id = 'H370800001'", SCHOOL, since);
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(Map.of(
                "bootstrap.servers", stack.kafkaBootstrap(), "acks", "all",
                "key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName(),
                "value.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName()))) {
            for (String id : waiting.keySet()) {
                if (!replied.add(id)) {
                    continue;
                }
                String task = "{\"resourceType\":\"Task\",\"identifier\":[{\"system\":\"https://xinqiao.cn/fhir/NamingSystem/referral\",\"value\":\""
                        + id + "\"}],\"status\":\"accepted\",\"intent\":\"order\",\"note\":[{\"text\":\"绿色通道已接收\"}]}";
                String eventId = UUID.randomUUID().toString();
                for (int copy = 0; copy < 2; copy++) {
                    var record = new org.apache.kafka.clients.producer.ProducerRecord<String, String>("referral.hospital.H370800001.replies.v1", id, task);
                    record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8))
                            .add("ce_id", eventId.getBytes(StandardCharsets.UTF_8))
                            .add("ce_type", "cn.xinqiao.referral.task.v1".getBytes(StandardCharsets.UTF_8))
                            .add("ce_source", "urn:hospital:H370800001".getBytes(StandardCharsets.UTF_8))
                            .add("content-type", "application/fhir+json".getBytes(StandardCharsets.UTF_8));
                    producer.send(record);
                }
            }
            producer.flush();
        }
    }

    interface Step {
        void run() throws Exception;
    }

    private static String timed(Step step) throws Exception {
        long t0 = System.nanoTime();
        step.run();
        return String.format("%.1f s until back", (System.nanoTime() - t0) / 1e9);
    }

    /** What was still to do when a fault struck (the part just released, and what was left of the one before). */
    private static String inFlight(AtomicInteger done, AtomicInteger released) {
        return String.format("with %d tasks to go, ", released.get() - done.get());
    }

    /**
     * Waits until what was released is four fifths done, so that the next fault strikes with work in flight; a worker
     * that stopped on a refusal fails the run at once.
     */
    private static void nearlyDone(AtomicInteger done, AtomicInteger released, int part, List<java.util.concurrent.Future<Object>> workers)
            throws Exception {
        int target = released.get() - part / 5;
        Instant deadline = Instant.now().plusSeconds(300);
        while (done.get() < target && Instant.now().isBefore(deadline)) {
            for (var worker : workers) {
                if (worker.isDone()) {
                    worker.get();
                }
            }
            Thread.sleep(50);
        }
    }

    private static Map<String, Long> unpublished() throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String db : List.of("screening", "referral", "hotline", "reporting", "notification")) {
            out.put(db, single(db, "select count(*) from outbox where published_at is null"));
        }
        return out;
    }

    private static Connection connect(String db) throws SQLException {
        try {
            return DriverManager.getConnection(Stack.get().jdbcUrl(db), PostgresServer.OPERATOR_USER, PostgresServer.OPERATOR_PASSWORD);
        } catch (SQLException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long single(String db, String sql, Object... args) throws SQLException {
        try (Connection c = connect(db); var st = c.prepareStatement(sql)) {
            bind(st, args);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Map<String, Long> counts(String db, String sql, Object... args) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = connect(db); var st = c.prepareStatement(sql)) {
            bind(st, args);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    private static void bind(java.sql.PreparedStatement st, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            st.setObject(i + 1, a instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : a);
        }
    }

    /** Every log of the run: no planted student name, guardian name or guardian phone may appear. */
    private static List<String> scanLogs() throws Exception {
        Path logs = Path.of("target/stack/logs");
        List<String> found = new ArrayList<>();
        try (var files = Files.list(logs)) {
            for (Path log : files.toList()) {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                if (text.contains("故障测试生") || text.contains("故障测试家长")) {
                    found.add(log.getFileName() + ": a name");
                }
                if (java.util.regex.Pattern.compile("(?<![0-9])139[0-9]{8}(?![0-9])").matcher(text).find()) {
                    found.add(log.getFileName() + ": a guardian phone");
                }
            }
        }
        return found;
    }
}
