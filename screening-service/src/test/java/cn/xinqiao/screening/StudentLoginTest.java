package cn.xinqiao.screening;

import cn.xinqiao.contracts.ContractValidator;
import cn.xinqiao.screening.campaign.AccessCodeSealing;
import cn.xinqiao.screening.domain.AccessCodeVault;
import cn.xinqiao.screening.session.LoginAlarm;
import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The student login as a guesser meets it: the code alone is not enough (the birth date is the second factor, and a
 * wrong one answers exactly like a wrong code), a code locks after too many wrong birth dates, the failure budget
 * lives in PostgreSQL (a lock written by another replica holds here), a school behind one NAT address earns room for
 * its pupils' typing, the address is read only through trusted hops, and the table holds no working code.
 * Test budget: 5 failures per network (application.properties), lockout 3 s.
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class StudentLoginTest {

    static final String SCHOOL = "S370811304";
    static final String COUNSELOR = TestTokens.counselor(SCHOOL, "370811");
    static final int STUDENTS = 40;

    @Inject
    EntityManager em;

    @Inject
    LoginAlarm alarm;

    @Inject
    AccessCodeSealing sealing;

    @Inject
    AccessCodeVault vault;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    static String campaign;
    static final Map<String, String> CODES = new HashMap<>();

    static String born(int i) {
        return "2011-%02d-%02d".formatted(1 + i % 12, 1 + i % 28);
    }

    synchronized void setUp() {
        if (campaign != null) {
            return;
        }
        RosterImportTest.school(SCHOOL, "登录防护测试中学");
        StringBuilder csv = new StringBuilder("学号,姓名,性别,出生日期,年级,班级\n");
        for (int i = 0; i < STUDENTS; i++) {
            csv.append("L").append(i).append(",学生").append(i).append(",女,").append(born(i)).append(",9,1班\n");
        }
        csv.append("LX,无生日,男,,9,1班\n");
        RosterImportTest.importAndWait(COUNSELOR, SCHOOL, "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        campaign = given().auth().oauth2(COUNSELOR).contentType("application/json")
                .body(Map.of("name", "登录防护 " + UUID.randomUUID(), "instruments", List.of("PHQ-A"), "schoolIds", List.of(SCHOOL),
                        "grades", List.of(9), "opensAt", now.minusHours(1).toString(), "closesAt", now.plusDays(7).toString()))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + campaign + "/access-codes").then().statusCode(200)
                .extract().<List<Map<String, Object>>>path("$")
                .forEach(slip -> CODES.put((String) slip.get("studentNumber"), (String) slip.get("accessCode")));
    }

    static Response login(String code, String birthDate, String forwardedFor) {
        Map<String, String> body = new HashMap<>();
        body.put("accessCode", code);
        body.put("birthDate", birthDate);
        var request = given().contentType("application/json").body(body);
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return request.post("/api/student-sessions");
    }

    @Test
    void theCodeAloneIsNotEnoughAndAWrongBirthDateAnswersLikeAWrongCode() {
        setUp();
        String code = CODES.get("L1");
        Response wrongBirth = login(code, "2011-12-31", "192.0.2.11");
        Response wrongCode = login("ZZZZ-ZZZZ", born(1), "192.0.2.12");
        assertEquals(401, wrongBirth.statusCode());
        assertEquals(wrongCode.statusCode(), wrongBirth.statusCode());
        assertEquals(wrongCode.asString(), wrongBirth.asString(), "the two failures must be indistinguishable");
        login(code, null, "192.0.2.13").then().statusCode(400).body("type", org.hamcrest.Matchers.endsWith("birth-date-required"));

        login(code, born(1), "192.0.2.14").then().statusCode(201);
        // as a student types it: full-width digits from a Chinese input method, and 年月日
        String fullWidth = born(1).chars().mapToObj(c -> String.valueOf(c == '-' ? '－' : (char) (c + 0xFEE0))).reduce("", String::concat);
        login(code, fullWidth, "192.0.2.14").then().statusCode(201);
        String[] ymd = born(1).split("-");
        login(code.toLowerCase(), ymd[0] + "年" + Integer.parseInt(ymd[1]) + "月" + Integer.parseInt(ymd[2]) + "日", "192.0.2.14").then().statusCode(201);
        // a student whose roster has no birth date cannot log in online, and the slips list says so
        List<Map<String, Object>> slips = given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + campaign + "/access-codes")
                .then().statusCode(200).extract().path("$");
        Map<String, Object> nobirth = slips.stream().filter(s -> "LX".equals(s.get("studentNumber"))).findFirst().orElseThrow();
        assertEquals(true, nobirth.get("birthDateMissing"));
        login(CODES.get("LX"), "2011-01-01", "192.0.2.15").then().statusCode(401);
    }

    @Test
    void aCodeLocksAfterFiveWrongBirthDatesFromAnyNetworkUntilTheSchoolIssuesANewOne() {
        setUp();
        String code = CODES.get("L2");
        for (int i = 0; i < 5; i++) {
            login(code, "2011-12-" + (10 + i), "203.0.113." + (20 + i)).then().statusCode(401); // five networks: no network budget spent up
        }
        login(code, born(2), "203.0.113.30").then().statusCode(423).body("type", org.hamcrest.Matchers.endsWith("access-code-locked"));
        // a wrong birth date on a locked code still answers like any wrong guess
        assertEquals(login("ZZZZ-ZZZZ", born(2), "203.0.113.31").asString(), login(code, "2011-12-01", "203.0.113.32").asString());
        List<Map<String, Object>> slips = given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + campaign + "/access-codes")
                .then().statusCode(200).extract().path("$");
        assertEquals(true, slips.stream().filter(s -> "L2".equals(s.get("studentNumber"))).findFirst().orElseThrow().get("locked"));

        given().auth().oauth2(TestTokens.counselor("S370811399", "370811")).contentType("application/json")
                .body(Map.of("schoolId", SCHOOL, "studentNumber", "L2")).post("/api/campaigns/" + campaign + "/access-codes/reissue")
                .then().statusCode(404);
        String fresh = given().auth().oauth2(COUNSELOR).contentType("application/json").body(Map.of("studentNumber", "L2"))
                .post("/api/campaigns/" + campaign + "/access-codes/reissue").then().statusCode(200).extract().path("accessCode");
        assertNotEquals(code, fresh);
        login(fresh, born(2), "203.0.113.33").then().statusCode(201);
        login(code, born(2), "203.0.113.34").then().statusCode(401);
        CODES.put("L2", fresh);
    }

    @Test
    void aNetworkThatOnlyGuessesIsLockedOutAndALockWrittenByAnotherReplicaHoldsHereWithinSeconds() throws Exception {
        setUp();
        String guesser = "198.51.100.40";
        for (int i = 0; i < 5; i++) {
            login("ZZZZ-ZZZ" + (i + 2), "2011-01-01", guesser).then().statusCode(401);
        }
        // even the right code and birth date: a locked network learns nothing
        login(CODES.get("L3"), born(3), guesser).then().statusCode(429).contentType("application/problem+json");
        assertEquals(1L, count("select count(*) from login_budget where network = '" + guesser + "' and locked_until > now()"));

        // another replica locked this network (its row is all a replica shares): refused here once the locks are read
        String elsewhere = "198.51.100.41";
        login(CODES.get("L3"), born(3), elsewhere).then().statusCode(201);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                insert into login_budget (network, window_start, failures, successes, locked_until)
                values (?1, now(), 5, 0, now() + interval '1 minute')""").setParameter(1, elsewhere).executeUpdate());
        long written = System.nanoTime();
        while (login(CODES.get("L3"), born(3), elsewhere).statusCode() != 429) {
            assertTrue(System.nanoTime() - written < 5_000_000_000L, "the other replica's lock did not hold here within 5 s");
            Thread.sleep(100);
        }
        Thread.sleep(3000); // the 3 s test lockout of the guesser is over
        login(CODES.get("L3"), born(3), guesser).then().statusCode(201);
    }

    @Test
    void aSchoolBehindOneNatAddressEarnsRoomForItsPupilsTypingAndOnlyThatMuch() throws Exception {
        setUp();
        String school = "198.51.100.50";
        login("ZZZZ-ZZZ2", "2011-01-01", school).then().statusCode(401); // a first typo opens the school's budget
        for (int i = 4; i < 34; i++) {
            login(CODES.get("L" + i), born(i), school).then().statusCode(201);
        }
        Thread.sleep(1500); // the successes are added once a second
        assertEquals(30L, count("select successes from login_budget where network = '" + school + "'"));
        // 5 + 30 = 35 failures allowed: the 1st was above, 33 more still answer 401, the 35th locks
        for (int i = 0; i < 33; i++) {
            login("ZZZZ-ZZ" + (char) ('A' + i % 20) + (2 + i % 8), "2011-01-01", school).then().statusCode(401);
        }
        assertEquals(0L, count("select count(*) from login_budget where network = '" + school + "' and locked_until is not null"));
        login("ZZZZ-ZZZZ", "2011-01-01", school).then().statusCode(401);
        login(CODES.get("L35"), born(35), school).then().statusCode(429);
    }

    @Test
    void theAddressIsReadFromTheRightThroughTrustedHopsOnlySoAClientCannotChooseIt() {
        setUp();
        String real = "198.51.100.60";
        for (int i = 0; i < 5; i++) {
            // each guess claims a different address on the left; the test client (127.0.0.1, a trusted hop) appends the real one
            login("ZZZZ-ZZZ" + (i + 2), "2011-01-01", "10.9.9." + i + ", " + real).then().statusCode(401);
        }
        login(CODES.get("L36"), born(36), "10.9.9.99, " + real).then().statusCode(429);
        assertEquals(0L, count("select count(*) from login_budget where network like '10.9.9.%'"), "a client-written entry counted");
        // IPv6: one /64 is one network, whatever addresses it hands out
        for (int i = 0; i < 5; i++) {
            login("ZZZZ-ZZZ" + (i + 2), "2011-01-01", "2001:db8:60:1::" + Integer.toHexString(0x100 + i)).then().statusCode(401);
        }
        login(CODES.get("L37"), born(37), "2001:db8:60:1:ffff::9").then().statusCode(429);
        assertEquals(1L, count("select count(*) from login_budget where network = '2001:db8:60:1::/64'"));
    }

    @Test
    void theTableHoldsNoWorkingCodeAndOldPlainCodesAreSealedAtStart() {
        setUp();
        assertEquals(0L, count("select count(*) from access_code where code is not null"));
        for (String code : CODES.values()) {
            String plain = code.replace("-", "");
            assertEquals(0L, count("select count(*) from access_code where code_hash = '" + plain + "' or position('" + plain
                    + "'::bytea in code_sealed) > 0 or position(convert_to('" + plain + "', 'UTF8') in code_sealed) > 0"));
        }
        // a row as written before codes were sealed
        UUID student = (UUID) QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select id from student where school_id = ?1 and student_number = 'L38'").setParameter(1, SCHOOL).getSingleResult());
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        update access_code set code = 'PQRS2345', code_hash = null, code_sealed = null
                        where campaign_id = ?1 and student_id = ?2""").setParameter(1, UUID.fromString(campaign)).setParameter(2, student)
                .executeUpdate());
        login("PQRS-2345", born(38), "198.51.100.70").then().statusCode(401);
        assertEquals(1, (int) QuarkusTransaction.requiringNew().call(sealing::sealBatch));
        assertEquals(0L, count("select count(*) from access_code where code is not null"));
        assertEquals(1L, count("select count(*) from access_code where code_hash = '" + vault.hash("PQRS2345") + "'"));
        login("PQRS-2345", born(38), "198.51.100.70").then().statusCode(201);
        String slip = given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + campaign + "/access-codes").then().statusCode(200)
                .extract().<List<Map<String, Object>>>path("$").stream().filter(s -> "L38".equals(s.get("studentNumber")))
                .findFirst().orElseThrow().get("accessCode").toString();
        assertEquals("PQRS-2345", slip, "the school still prints the student's code");
    }

    @Test
    void aCityWideSpikeOfFailuresRaisesOneAlarmOnTheSecurityTopic() throws Exception {
        setUp();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("delete from login_alarm").executeUpdate());
        Thread.sleep(1500); // every login so far is counted in login_rate
        long successes = count("select coalesce(sum(successes), 0) from login_rate where minute >= date_trunc('minute', now()) - interval '5 minutes'");
        for (int i = 0; i < 45 + successes; i++) {
            login("ZZZZ-ZZZ" + (2 + i % 8), "2011-01-01", "100.64." + i / 250 + "." + i % 250).then().statusCode(401);
        }
        Thread.sleep(1500);
        alarm.watch();
        alarm.watch(); // once per half hour, however many replicas look
        List<ConsumerRecord<String, String>> raised = new KafkaProbe(bootstrap).readUntil(LoginAlarm.TOPIC, Duration.ofSeconds(15),
                r -> !r.isEmpty());
        assertEquals(1, raised.size(), "one alarm");
        ContractValidator.load().assertConforms(LoginAlarm.TOPIC, KafkaProbe.headers(raised.get(0)), raised.get(0).value());
        assertTrue(raised.get(0).value().matches(".*\"cityCodes\": ?\\[[^]]*\"370800\".*"), raised.get(0).value());
        assertFalse(raised.get(0).value().contains("100.64."), "no address leaves the service");
        assertEquals(1, new KafkaProbe(bootstrap).readFor(LoginAlarm.TOPIC, Duration.ofSeconds(2)).size());
    }

    private long count(String sql) {
        return ((Number) QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(sql).getSingleResult())).longValue();
    }
}
