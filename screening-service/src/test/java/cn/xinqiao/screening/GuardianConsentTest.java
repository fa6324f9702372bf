package cn.xinqiao.screening;

import cn.xinqiao.contracts.ContractValidator;
import cn.xinqiao.screening.school.DirectoryService;
import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guardian consent as a school lives it: a pupil under 14 waits for the guardian; a scanned form or the guardian's
 * own link records the decision (with the notice version); a decline stops the login kindly and refuses the paper
 * form; a withdrawal erases the year's answers unless an open case needs them for the student's safety; and the
 * school's counts of students without consent travel to reporting.
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class GuardianConsentTest {

    static final String SCHOOL = "S370811306";
    static final String COUNSELOR = TestTokens.counselor(SCHOOL, "370811");
    static final byte[] PDF = "%PDF-1.4\n% signed consent form, scanned\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String YOUNG = "2014-05-06";   // 12: under the age of guardian consent
    static final String OLDER = "2010-05-06";   // 16

    @Inject
    EntityManager em;

    @Inject
    cn.xinqiao.screening.consent.WithdrawalFollowThrough followThrough;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    static String campaign;
    static final Map<String, String> CODES = new HashMap<>();

    synchronized void setUp() {
        if (campaign != null) {
            return;
        }
        String csv = "学号,姓名,性别,出生日期,年级,班级\n"
                + "Y1,王小明,男," + YOUNG + ",7,1班\nY2,李小红,女," + YOUNG + ",7,1班\nY3,赵子涵,女," + YOUNG + ",7,1班\n"
                + "O1,孙大伟,男," + OLDER + ",7,1班\nO2,周一诺,女," + OLDER + ",7,1班\nO3,吴晨阳,男," + OLDER + ",7,1班\n";
        SchoolFixture fixture = SchoolFixture.open(SCHOOL, "知情同意测试中学", COUNSELOR, csv, 7);
        CODES.putAll(fixture.codes());
        campaign = fixture.campaign();
    }

    static Response login(String number, String born) {
        return given().contentType("application/json").header("X-Forwarded-For", "198.51.100.77")
                .body(Map.of("accessCode", CODES.get(number), "birthDate", born)).post("/api/student-sessions");
    }

    static io.restassured.specification.RequestSpecification guardian() {
        return given().contentType("application/json").header("X-Forwarded-For", "198.51.100.78");
    }

    static Response paperForm(String number, String decision, String contentType, byte[] form) {
        return given().auth().oauth2(COUNSELOR).contentType(contentType).body(form)
                .queryParam("decision", decision).queryParam("decidedOn", LocalDate.now().minusDays(1).toString())
                .post("/api/schools/" + SCHOOL + "/students/" + number + "/consents");
    }

    static Response answer(String token, int[] phq) {
        return given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("campaignId", campaign, "instrumentId", "PHQ-A", "answers", phq, "clientSubmissionId", UUID.randomUUID().toString()))
                .post("/api/submissions");
    }

    Map<String, JsonNode> standings() throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        JSON.readTree(given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/consents").then().statusCode(200).extract().asString())
                .forEach(s -> out.put(s.path("studentNumber").asText(), s));
        return out;
    }

    long submissions(String number) {
        return ((Number) em.createNativeQuery("select count(*) from submission x join student s on s.id = x.student_id "
                + "where s.school_id = ?1 and s.student_number = ?2").setParameter(1, SCHOOL).setParameter(2, number).getSingleResult()).longValue();
    }

    static int femaleNotConsenting(String event) {
        try {
            for (JsonNode cell : JSON.readTree(event).path("enrolment")) {
                if (cell.path("grade").asInt() == 7 && cell.path("sex").asText().equals("FEMALE")) {
                    return cell.path("notConsenting").asInt(-1);
                }
            }
            return -1;
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void aPupilUnder14WaitsForTheGuardianAndAScannedFormLetsThemIn() throws Exception {
        setUp();
        login("Y1", YOUNG).then().statusCode(403).body("type", endsWith("consent-awaited")).body("detail", containsString("0537-5151885"));
        login("O1", OLDER).then().statusCode(201); // 14 and over: may take part unless the guardian declined

        // bad forms change nothing: not a scan, a PNG called a PDF, an unknown decision, a date in the future
        paperForm("Y1", "GRANTED", "application/pdf", "not a pdf at all".getBytes()).then().statusCode(400).body("type", endsWith("form-not-a-scan"));
        paperForm("Y1", "GRANTED", "application/pdf", new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0}).then().statusCode(400);
        paperForm("Y1", "MAYBE", "application/pdf", PDF).then().statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("decision"));
        given().auth().oauth2(COUNSELOR).contentType("application/pdf").body(PDF).queryParam("decision", "GRANTED")
                .queryParam("decidedOn", LocalDate.now().plusDays(3).toString())
                .post("/api/schools/" + SCHOOL + "/students/Y1/consents").then().statusCode(400);
        paperForm("Y1", "WITHDRAWN", "application/pdf", PDF).then().statusCode(409).body("type", endsWith("consent-transition"));
        assertTrue(standings().get("Y1").path("decision").isNull(), "nothing was recorded");

        paperForm("Y1", "GRANTED", "application/pdf", PDF).then().statusCode(201).body("standing", equalTo("MAY_SCREEN"))
                .body("noticeVersion", equalTo(1));
        JsonNode y1 = standings().get("Y1");
        assertEquals("GRANTED", y1.path("decision").asText());
        assertEquals("PAPER", y1.path("method").asText());
        assertTrue(y1.path("formOnFile").asBoolean());
        byte[] stored = given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/students/Y1/consent-form")
                .then().statusCode(200).contentType("application/pdf").extract().asByteArray();
        assertEquals(new String(PDF, StandardCharsets.US_ASCII), new String(stored, StandardCharsets.US_ASCII));
        paperForm("Y1", "GRANTED", "application/pdf", PDF).then().statusCode(409); // the same decision twice
        login("Y1", YOUNG).then().statusCode(201);
        // another school's counsellor sees none of it
        given().auth().oauth2(TestTokens.counselor("S370811001", "370811")).get("/api/schools/" + SCHOOL + "/consents").then().statusCode(404);
    }

    @Test
    void aGuardianWhoDeclinesOnlineStopsTheLoginKindlyAndThePaperFormIsRefused() throws Exception {
        setUp();
        Map<String, String> links = new HashMap<>();
        JSON.readTree(given().auth().oauth2(COUNSELOR).post("/api/schools/" + SCHOOL + "/guardian-links?grade=7").then().statusCode(200)
                .extract().asString()).forEach(l -> links.put(l.path("studentNumber").asText(), l.path("code").asText()));
        assertEquals(6, links.size());
        String again = JSON.readTree(given().auth().oauth2(COUNSELOR).post("/api/schools/" + SCHOOL + "/guardian-links").then().statusCode(200)
                .extract().asString()).findValuesAsText("code").toString();
        assertTrue(again.contains(links.get("O2")), "issuing again keeps the links already given out");

        guardian().body(Map.of("code", links.get("O2"))).post("/api/guardian-consents/lookup").then().statusCode(200)
                .body("student", equalTo("周*诺")).body("schoolName", equalTo("知情同意测试中学")).body("notice.version", equalTo(1))
                .body("mayDecline", equalTo(true)).body("mayWithdraw", equalTo(false)).body("decision", nullValue());
        guardian().body(Map.of("code", "ZZZZ-ZZZZ")).post("/api/guardian-consents/lookup").then().statusCode(404);

        guardian().body(Map.of("code", links.get("O2"), "decision", "DECLINED", "noticeVersion", 1))
                .post("/api/guardian-consents").then().statusCode(201).body("standing", equalTo("DECLINED"));
        guardian().body(Map.of("code", links.get("O2"), "decision", "GRANTED", "noticeVersion", 1))
                .post("/api/guardian-consents").then().statusCode(409).body("type", endsWith("link-spent"));

        login("O2", OLDER).then().statusCode(403).body("type", endsWith("consent-declined")).body("detail", containsString("0537-5151885"));
        Map<String, Object> paper = new HashMap<>(Map.of("campaignId", campaign, "instrumentId", "PHQ-A", "answers", new int[9],
                "clientSubmissionId", UUID.randomUUID().toString(), "studentNumber", "O2", "mode", "PAPER"));
        given().auth().oauth2(COUNSELOR).contentType("application/json").body(paper).post("/api/submissions")
                .then().statusCode(409).body("type", endsWith("consent-declined"));
        assertEquals(0, submissions("O2"), "no answers stored for a student whose guardian declined");

        // reporting learns how many students of the grade have no consent (counts only, no one named)
        List<ConsumerRecord<String, String>> events = new KafkaProbe(bootstrap).readUntil(DirectoryService.TOPIC, Duration.ofSeconds(15),
                r -> r.stream().anyMatch(e -> SCHOOL.equals(e.key()) && femaleNotConsenting(e.value()) == 1));
        ConsumerRecord<String, String> last = events.stream().filter(e -> SCHOOL.equals(e.key()) && femaleNotConsenting(e.value()) == 1)
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no directory event with the decline: "
                        + events.stream().filter(e -> SCHOOL.equals(e.key())).map(ConsumerRecord::value).toList()));
        ContractValidator.load().assertConforms(DirectoryService.TOPIC, KafkaProbe.headers(last), last.value());
        assertFalse(last.value().contains("周一诺") || last.value().contains("O2"), "no identity on the directory topic");
    }

    @Test
    void aWithdrawalErasesTheYearsAnswersUnlessAnOpenCaseNeedsThemForTheStudentsSafety() throws Exception {
        setUp();
        Map<String, String> links = new HashMap<>();
        JSON.readTree(given().auth().oauth2(COUNSELOR).post("/api/schools/" + SCHOOL + "/guardian-links").then().statusCode(200)
                .extract().asString()).forEach(l -> links.put(l.path("studentNumber").asText(), l.path("code").asText()));
        for (String number : List.of("O3", "Y3")) {
            guardian().body(Map.of("code", links.get(number), "decision", "GRANTED", "noticeVersion", 1))
                    .post("/api/guardian-consents").then().statusCode(201).body("standing", equalTo("MAY_SCREEN"));
        }
        String calm = login("O3", OLDER).then().statusCode(201).extract().path("token");
        answer(calm, new int[]{1, 0, 1, 0, 0, 1, 0, 0, 0}).then().statusCode(201);
        String crisis = login("Y3", YOUNG).then().statusCode(201).extract().path("token");
        answer(crisis, new int[]{2, 2, 2, 2, 2, 2, 2, 2, 2}).then().statusCode(201); // item 9: a critical answer opens a case
        assertEquals(1, submissions("O3"));
        assertEquals(1, submissions("Y3"));

        for (String number : List.of("O3", "Y3")) {
            guardian().body(Map.of("code", links.get(number), "decision", "WITHDRAWN", "noticeVersion", 1))
                    .post("/api/guardian-consents").then().statusCode(201).body("standing", equalTo("WITHDRAWN"));
        }
        assertEquals(0, submissions("O3"), "the withdrawal erased the answers");
        assertEquals(1, submissions("Y3"), "an open risk case keeps what the student's safety needs");
        Map<String, JsonNode> now = standings();
        assertTrue(now.get("O3").path("retainedForSafety").isNull());
        assertTrue(now.get("Y3").path("retainedForSafety").asText().contains("art. 13"), now.get("Y3").toString());
        assertEquals("WITHDRAWN", now.get("Y3").path("standing").asText());
        // and no further processing: the open session's next answer is refused kindly
        answer(calm, new int[9]).then().statusCode(403).body("type", endsWith("consent-declined"));
        assertEquals(0, submissions("O3"));
        Number audited = (Number) em.createNativeQuery("select count(*) from audit_log where resource = 'consent-withdrawal' and school_id = ?1")
                .setParameter(1, SCHOOL).getSingleResult();
        assertTrue(audited.intValue() >= 2, "each withdrawal's outcome is audited");
        assertNotNull(links.get("Y1"));

        // once the case has closed, the kept year is erased too (the hourly follow-through, run here by hand)
        String caseId = given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/risk-queue").then().statusCode(200)
                .extract().path("find { it.studentNumber == 'Y3' }.id");
        for (String step : given().auth().oauth2(COUNSELOR).get("/api/cases/" + caseId).then().statusCode(200).extract().jsonPath()
                .<String>getList("steps.findAll { it.critical }.code")) {
            given().auth().oauth2(COUNSELOR).contentType("application/json").body(Map.of("code", step, "outcome", "DONE", "how", "IN_PERSON"))
                    .post("/api/cases/" + caseId + "/steps").then().statusCode(200);
        }
        assertEquals(0, followThrough.carryThrough(), "nothing is released while the case is open");
        given().auth().oauth2(COUNSELOR).contentType("application/json").body(Map.of("kind", "CLOSE", "note", "已结案"))
                .post("/api/risk-queue/" + caseId + "/notes").then().statusCode(200);
        assertEquals(1, followThrough.carryThrough());
        assertEquals(0, submissions("Y3"), "the withdrawal is carried through once the student's safety no longer needs the data");
        assertTrue(standings().get("Y3").path("retainedForSafety").asText().startsWith("released"));
        assertEquals(0, followThrough.carryThrough(), "once");
    }
}
