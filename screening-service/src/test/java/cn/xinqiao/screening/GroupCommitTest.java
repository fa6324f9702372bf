package cn.xinqiao.screening;

import cn.xinqiao.screening.submission.Enrolments;
import cn.xinqiao.screening.submission.SubmissionService;
import cn.xinqiao.screening.submission.SubmissionStatus;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Submissions made together in one transaction (group commit) come out exactly as if made one after the other:
 * a repeated client id replays, a second answer to the same instrument is a CONFLICT, a refused one writes nothing
 * and holds no one back; every stored submission has one result event and one audit line.
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class GroupCommitTest {

    static final String SCHOOL = "S370811302";
    static final String COUNSELOR = TestTokens.counselor(SCHOOL, "370811");
    static final int STUDENTS = 12;

    @Inject
    SubmissionService submissions;

    @Inject
    Enrolments enrolments;

    @Inject
    EntityManager em;

    record Setup(UUID campaign, Map<String, String> codes) {
    }

    Setup campaign(String name) {
        RosterImportTest.school(SCHOOL, "成组提交测试中学");
        StringBuilder csv = new StringBuilder("学号,姓名,性别,出生日期,年级,班级\n");
        for (int i = 0; i < STUDENTS; i++) {
            csv.append("G").append(i).append(",学生").append(i).append(",女,2010-01-01,10,1班\n");
        }
        RosterImportTest.importAndWait(COUNSELOR, SCHOOL, "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String id = given().auth().oauth2(COUNSELOR).contentType("application/json")
                .body(Map.of("name", name, "instruments", List.of("PHQ-A", "GAD-7"), "schoolIds", List.of(SCHOOL), "grades", List.of(10),
                        "opensAt", now.minusHours(1).toString(), "closesAt", now.plusDays(7).toString()))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        Map<String, String> codes = new HashMap<>();
        given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + id + "/access-codes").then().statusCode(200)
                .extract().<List<Map<String, Object>>>path("$")
                .forEach(slip -> codes.put((String) slip.get("studentNumber"), (String) slip.get("accessCode")));
        return new Setup(UUID.fromString(id), codes);
    }

    UUID student(String number) {
        return (UUID) em.createNativeQuery("select id from student where school_id = ?1 and student_number = ?2")
                .setParameter(1, SCHOOL).setParameter(2, number).getSingleResult();
    }

    long count(String sql, Object... params) {
        var q = em.createNativeQuery(sql);
        for (int i = 0; i < params.length; i++) {
            q.setParameter(i + 1, params[i]);
        }
        return ((Number) q.getSingleResult()).longValue();
    }

    @Test
    void oneTransactionOfManyRequestsMakesEachAsIfAlone() {
        Setup setup = campaign("成组提交 " + UUID.randomUUID());
        UUID a = student("G0");
        UUID b = student("G1");
        UUID stranger = UUID.randomUUID();
        int[] phq = {1, 1, 0, 1, 0, 0, 1, 0, 0};
        int[] gad = {1, 0, 1, 0, 1, 0, 0};
        List<SubmissionService.Request> requests = List.of(
                online(a, setup.campaign(), "PHQ-A", phq, "a-1"),
                online(a, setup.campaign(), "PHQ-A", phq, "a-1"),            // the same request again: a replay
                online(a, setup.campaign(), "PHQ-A", phq, "a-2"),            // PHQ-A answered twice: a conflict
                online(b, setup.campaign(), "GAD-7", new int[]{1, 0}, "b-1"), // two answers of seven: refused
                online(stranger, setup.campaign(), "GAD-7", gad, "s-1"),      // not enrolled: refused
                online(b, setup.campaign(), "GAD-7", gad, "b-2"));
        List<SubmissionService.Made> made = QuarkusTransaction.requiringNew().call(() -> submissions.submitAll(requests));

        assertEquals(6, made.size());
        assertEquals(SubmissionStatus.COUNTED, made.get(0).outcome().submission().status);
        assertTrue(made.get(1).outcome().replay());
        assertEquals(made.get(0).outcome().submission().id, made.get(1).outcome().submission().id);
        assertEquals(SubmissionStatus.CONFLICT, made.get(2).outcome().submission().status);
        assertEquals(400, made.get(3).refused().status());
        assertNull(made.get(3).outcome());
        assertEquals(404, made.get(4).refused().status(), "an unknown student");
        assertEquals(SubmissionStatus.COUNTED, made.get(5).outcome().submission().status, "the refused ones held no one back");

        assertEquals(3, count("select count(*) from submission where campaign_id = ?1", setup.campaign()));
        assertEquals(0, count("select count(*) from submission where client_submission_id in ('b-1', 's-1')"));
        assertEquals(2, count("select count(*) from outbox where topic = 'screening.results.v1' and msg_key = ?1",
                setup.campaign().toString()), "a result event for each COUNTED submission, none for the conflict");
        assertEquals(3, count("select count(*) from audit_log where resource = 'submission' and resource_id in "
                + "(select id::text from submission where campaign_id = ?1)", setup.campaign()));

        // and the same list again, in a new transaction: every one is now a replay or the same refusal
        List<SubmissionService.Made> again = QuarkusTransaction.requiringNew().call(() -> submissions.submitAll(requests));
        assertTrue(again.get(0).outcome().replay() && again.get(2).outcome().replay() && again.get(5).outcome().replay());
        assertEquals(400, again.get(3).refused().status());
        assertEquals(3, count("select count(*) from submission where campaign_id = ?1", setup.campaign()));
    }

    @Test
    void concurrentSubmissionsIncludingDuplicatesAreStoredAndAnnouncedOnce() throws Exception {
        Setup setup = campaign("并发提交 " + UUID.randomUUID());
        List<Callable<Response>> calls = new ArrayList<>();
        Map<Integer, String> kind = new HashMap<>();
        for (int i = 0; i < STUDENTS; i++) {
            String token = given().contentType("application/json").body(Map.of("accessCode", setup.codes().get("G" + i), "birthDate", "2010-01-01"))
                    .post("/api/student-sessions").then().statusCode(201).extract().path("token");
            String phqId = "phq-" + i;
            for (String[] c : new String[][]{{"PHQ-A", phqId, "first"}, {"PHQ-A", phqId, "twin"}, {"GAD-7", "gad-" + i, "gad"},
                    {"GAD-7", "gad-again-" + i, "gad"}, {"GAD-7", "bad-" + i, "bad"}}) {
                int[] answers = c[2].equals("bad") ? new int[]{9, 9, 9, 9, 9, 9, 9}
                        : c[0].equals("PHQ-A") ? new int[]{1, 1, 0, 1, 0, 0, 1, 0, i % 4 == 0 ? 1 : 0} : new int[]{1, 0, 1, 0, 1, 0, 0};
                kind.put(calls.size(), c[2]);
                calls.add(() -> given().auth().oauth2(token).contentType("application/json")
                        .body(Map.of("campaignId", setup.campaign().toString(), "instrumentId", c[0], "answers", answers,
                                "clientSubmissionId", c[1]))
                        .post("/api/submissions"));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(24);
        List<Future<Response>> futures = pool.invokeAll(calls);
        pool.shutdown();
        Map<String, List<Integer>> statuses = new HashMap<>();
        Map<String, String> phqIds = new HashMap<>();
        for (int i = 0; i < futures.size(); i++) {
            Response r = futures.get(i).get();
            statuses.computeIfAbsent(kind.get(i), k -> new ArrayList<>()).add(r.statusCode());
            if (kind.get(i).equals("first") || kind.get(i).equals("twin")) {
                String id = r.path("submissionId");
                assertNotNull(id, r.asString());
                String other = phqIds.putIfAbsent("student-" + (i / 5), id);
                assertTrue(other == null || other.equals(id), "a duplicate is answered with the one submission");
            }
        }
        List<Integer> phq = new ArrayList<>(statuses.get("first"));
        phq.addAll(statuses.get("twin"));
        assertEquals(STUDENTS, phq.stream().filter(s -> s == 201).count(), "one of each pair made the submission: " + phq);
        assertEquals(STUDENTS, phq.stream().filter(s -> s == 200).count(), "the other replayed it: " + phq);
        assertTrue(statuses.get("gad").stream().allMatch(s -> s == 201), statuses.get("gad").toString());
        assertTrue(statuses.get("bad").stream().allMatch(s -> s == 400), statuses.get("bad").toString());

        assertEquals(3L * STUDENTS, count("select count(*) from submission where campaign_id = ?1", setup.campaign()));
        assertEquals(2L * STUDENTS, count("select count(*) from submission where campaign_id = ?1 and status = 'COUNTED'", setup.campaign()));
        assertEquals(STUDENTS, count("select count(*) from submission where campaign_id = ?1 and status = 'CONFLICT'", setup.campaign()));
        assertEquals(0, count("select count(*) from submission where campaign_id = ?1 and client_submission_id like 'bad-%'", setup.campaign()));
        assertEquals(2L * STUDENTS, count("select count(*) from outbox where topic = 'screening.results.v1' and msg_key = ?1",
                setup.campaign().toString()));
        assertEquals(3L * STUDENTS, count("select count(*) from audit_log where resource = 'submission' and resource_id in "
                + "(select id::text from submission where campaign_id = ?1)", setup.campaign()));
    }

    /**
     * The student's lock (per campaign) holds a submission back until its holder commits, and the submission
     * then reads what the holder wrote: here the holder counted PHQ-A, so the held one is a CONFLICT, not a second
     * COUNTED. Another student of the same campaign is not held.
     */
    @Test
    void aStudentsLockHoldsTheirSubmissionUntilTheHolderCommits() throws Exception {
        Setup setup = campaign("学生锁 " + UUID.randomUUID());
        UUID a = student("G2");
        UUID b = student("G3");
        int[] phq = {1, 1, 0, 1, 0, 0, 1, 0, 0};
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> holder = hold(pool, setup.campaign(), a, held, release,
                    () -> submissions.submitAll(List.of(online(a, setup.campaign(), "PHQ-A", phq, "held-first"))));
            held.await();
            Future<SubmissionService.Made> waiting = pool.submit(() -> QuarkusTransaction.requiringNew().call(
                    () -> submissions.submitAll(List.of(online(a, setup.campaign(), "PHQ-A", phq, "held-second"))).get(0)));
            Future<SubmissionService.Made> other = pool.submit(() -> QuarkusTransaction.requiringNew().call(
                    () -> submissions.submitAll(List.of(online(b, setup.campaign(), "PHQ-A", phq, "not-held"))).get(0)));
            assertEquals(SubmissionStatus.COUNTED, other.get(10, java.util.concurrent.TimeUnit.SECONDS).outcome().submission().status,
                    "another student is not held");
            Thread.sleep(300);
            assertTrue(!waiting.isDone(), "the same student's submission waits for the lock");
            release.countDown();
            holder.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(SubmissionStatus.CONFLICT, waiting.get(10, java.util.concurrent.TimeUnit.SECONDS).outcome().submission().status,
                    "it read the holder's committed PHQ-A");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    /**
     * Over HTTP (the request queues its submission and is answered from the writer's completion): the receipt is
     * sent only once the submission has committed, however long its student's lock is held, and meanwhile another
     * student's submission goes through the other writer and is answered.
     */
    @Test
    void aHeldStudentsReceiptComesOnceTheirSubmissionCommitsAndOthersAreAnsweredMeanwhile() throws Exception {
        Setup setup = campaign("回执等待 " + UUID.randomUUID());
        UUID a = student("G4");
        int[] phq = {1, 1, 0, 1, 0, 0, 1, 0, 0};
        String tokenA = given().contentType("application/json").body(Map.of("accessCode", setup.codes().get("G4"), "birthDate", "2010-01-01"))
                .post("/api/student-sessions").then().statusCode(201).extract().path("token");
        String tokenB = given().contentType("application/json").body(Map.of("accessCode", setup.codes().get("G5"), "birthDate", "2010-01-01"))
                .post("/api/student-sessions").then().statusCode(201).extract().path("token");
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> holder = hold(pool, setup.campaign(), a, held, release, () -> { });
            held.await();
            Future<Response> waiting = pool.submit(() -> given().auth().oauth2(tokenA).contentType("application/json")
                    .body(Map.of("campaignId", setup.campaign().toString(), "instrumentId", "PHQ-A", "answers", phq,
                            "clientSubmissionId", "held-http"))
                    .post("/api/submissions"));
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (count("select count(*) from pg_locks where locktype = 'advisory' and not granted") == 0) {
                assertTrue(System.nanoTime() < until, "A's submission reached a writer, which waits for A's lock");
                Thread.sleep(20);
            }
            Response other = pool.submit(() -> given().auth().oauth2(tokenB).contentType("application/json")
                    .body(Map.of("campaignId", setup.campaign().toString(), "instrumentId", "PHQ-A", "answers", phq,
                            "clientSubmissionId", "not-held-http"))
                    .post("/api/submissions")).get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(201, other.statusCode(), other.asString());
            assertTrue(!waiting.isDone(), "the held student has no receipt before their submission commits");
            assertEquals(0, count("select count(*) from submission where campaign_id = ?1 and student_id = ?2", setup.campaign(), a));

            release.countDown();
            holder.get(10, java.util.concurrent.TimeUnit.SECONDS);
            Response receipt = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(201, receipt.statusCode(), receipt.asString());
            assertEquals("0537-5151885", receipt.path("hotline"), "the city's own line, a setting");
            assertNull(receipt.path("riskLevel"), "a student's receipt has no risk label");
            assertEquals(1, count("select count(*) from submission where campaign_id = ?1 and student_id = ?2 and id = cast(?3 as uuid)",
                    setup.campaign(), a, receipt.<String>path("submissionId")), "the receipt names the committed submission");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    /**
     * Takes the student's lock in a transaction of its own, does {@code inside} there, counts {@code held} down and
     * keeps the lock (the transaction open) until {@code release}.
     */
    Future<?> hold(ExecutorService pool, UUID campaign, UUID student, java.util.concurrent.CountDownLatch held,
                   java.util.concurrent.CountDownLatch release, Runnable inside) {
        return pool.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
            enrolments.lockStudents(List.<UUID[]>of(new UUID[]{campaign, student}));
            inside.run();
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    static SubmissionService.Request online(UUID student, UUID campaign, String instrument, int[] answers, String clientId) {
        return SubmissionService.Request.online(student, campaign, new SubmissionService.Answers(campaign, instrument, answers, clientId));
    }
}
