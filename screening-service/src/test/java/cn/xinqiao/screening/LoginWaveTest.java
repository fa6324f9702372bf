package cn.xinqiao.screening;

import cn.xinqiao.screening.session.StudentSessionTokens;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
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
import java.util.Collections;
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
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A class logging in at once: logins that arrive together are read from the database together (one query for many
 * codes), and each student still gets a token for themself, with what they themself have already done.
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class LoginWaveTest {

    static final String SCHOOL = "S370811303";
    static final String COUNSELOR = TestTokens.counselor(SCHOOL, "370811");
    static final int STUDENTS = 40;

    @Inject
    EntityManager em;

    @Inject
    StudentSessionTokens tokens;

    record Attempt(String code, String from) {
    }

    @Test
    void everyStudentOfAConcurrentWaveGetsTheirOwnSessionAndUnknownCodesNone() throws Exception {
        RosterImportTest.school(SCHOOL, "登录高峰测试中学");
        StringBuilder csv = new StringBuilder("学号,姓名,性别,出生日期,年级,班级\n");
        for (int i = 0; i < STUDENTS; i++) {
            csv.append("W").append(i).append(",学生").append(i).append(",男,2010-05-05,10,").append(1 + i % 2).append("班\n");
        }
        RosterImportTest.importAndWait(COUNSELOR, SCHOOL, "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String campaign = given().auth().oauth2(COUNSELOR).contentType("application/json")
                .body(Map.of("name", "登录高峰 " + UUID.randomUUID(), "instruments", List.of("PHQ-A", "GAD-7"), "schoolIds", List.of(SCHOOL),
                        "grades", List.of(10), "opensAt", now.minusHours(1).toString(), "closesAt", now.plusDays(7).toString()))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        Map<String, UUID> studentOfCode = new HashMap<>();
        Map<String, UUID> studentOfNumber = new HashMap<>();
        for (Object row : em.createNativeQuery("select student_number, id from student where school_id = ?1").setParameter(1, SCHOOL).getResultList()) {
            Object[] r = (Object[]) row;
            studentOfNumber.put((String) r[0], (UUID) r[1]);
        }
        given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + campaign + "/access-codes").then().statusCode(200)
                .extract().<List<Map<String, Object>>>path("$")
                .forEach(slip -> studentOfCode.put(((String) slip.get("accessCode")).replace("-", ""), studentOfNumber.get((String) slip.get("studentNumber"))));
        assertEquals(STUDENTS, studentOfCode.size());

        // one student has already answered PHQ-A: only their session says so
        String first = studentOfCode.keySet().iterator().next();
        String token = login(new Attempt(first, null)).then().statusCode(201).extract().path("token");
        given().auth().oauth2(token).contentType("application/json")
                .body(ScreeningFlowTest.answers(UUID.fromString(campaign), "PHQ-A", new int[]{0, 0, 0, 0, 0, 0, 0, 0, 0}, "wave-1"))
                .post("/api/submissions").then().statusCode(201);

        // every code twice (in lower case the second time), and codes nobody was given, each from its own network
        // (a wrong code counts towards its network's lockout, which is not what this test is about)
        List<Attempt> attempts = new ArrayList<>();
        studentOfCode.keySet().forEach(code -> {
            attempts.add(new Attempt(code, null));
            attempts.add(new Attempt(code.toLowerCase(), null));
        });
        List<String> unknown = List.of("ZZZZZZZ2", "22222223", "XXXX9998");
        for (int i = 0; i < unknown.size(); i++) {
            assertFalse(studentOfCode.containsKey(unknown.get(i)), "a code given to nobody");
            attempts.add(new Attempt(unknown.get(i), "198.51.100." + (10 + i)));
        }
        Collections.shuffle(attempts);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (Attempt a : attempts) {
                answers.add(pool.submit((Callable<Response>) () -> login(a)));
            }
            for (int i = 0; i < attempts.size(); i++) {
                Attempt a = attempts.get(i);
                Response r = answers.get(i).get();
                UUID expected = studentOfCode.get(a.code().toUpperCase());
                if (expected == null) {
                    assertEquals(401, r.statusCode(), a.code() + " was given to nobody");
                    continue;
                }
                assertEquals(201, r.statusCode(), r.asString());
                StudentSessionTokens.Session session = tokens.verify(r.path("token")).orElseThrow();
                assertEquals(expected, session.studentId(), "the token of " + a.code() + " is its own student's");
                assertEquals(campaign, session.campaignId().toString());
                assertEquals(a.code().toUpperCase().equals(first) ? List.of("PHQ-A") : List.of(), r.path("completed"),
                        "what " + a.code() + "'s student has already done");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static Response login(Attempt a) {
        var request = given().contentType("application/json").body(Map.of("accessCode", a.code(), "birthDate", "2010-05-05"));
        if (a.from() != null) {
            request.header("X-Forwarded-For", a.from());
        }
        return request.post("/api/student-sessions");
    }
}
