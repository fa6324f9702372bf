package cn.xinqiao.screening;

import cn.xinqiao.contracts.ContractValidator;
import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hospital returns the student with a follow-up plan; the school's follow-ups are dated from it; "worse" re-refers. */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class FollowUpTest {

    static final String SCHOOL = "S370811304";
    static final String COUNSELOR = TestTokens.counselor(SCHOOL, "370811");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EntityManager em;

    @Inject
    cn.xinqiao.screening.casework.CaseClocks clocks;

    @Inject
    cn.xinqiao.platform.pseudonym.Pseudonyms pseudonyms;

    @Test
    void theReturnsFollowUpPlanBecomesDatedFollowUpsAndAWorseOneGoesBackToTheHospital() throws Exception {
        RosterImportTest.school(SCHOOL, "回访测试中学");
        RosterImportTest.importAndWait(COUNSELOR, SCHOOL, "text/csv", "学号,姓名,性别,出生日期,年级,班级\nV1,甲回访,女,2010-05-05,10,1班\n"
                .getBytes(StandardCharsets.UTF_8));
        String caseId = given().auth().oauth2(COUNSELOR).contentType("application/json")
                .body(Map.of("studentNumber", "V1", "source", "DAILY_WORK", "riskLevel", "CRITICAL", "note", "学生向老师透露轻生念头"))
                .post("/api/schools/" + SCHOOL + "/cases").then().statusCode(201).extract().path("riskCase.id");
        UUID requestId = QuarkusTransaction.requiringNew().call(() -> (UUID) em.createNativeQuery(
                "select referral_request_id from risk_case where id = ?1").setParameter(1, UUID.fromString(caseId)).getSingleResult());

        // the hospital completed ten days ago, with a follow-up by the school after 7 days and by the hospital after 30
        UUID referralId = UUID.randomUUID();
        Instant returned = Instant.now().minus(Duration.ofDays(10));
        String completed = """
                {"referralId":"%s","requestIds":["%s"],"studentKey":"Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg","schoolId":"%s",
                 "districtCode":"370811","hospitalId":"H370800001","riskLevel":"CRITICAL","status":"completed","businessStatus":"seen",
                 "requestedAt":"%s","occurredAt":"%s","returnSummary":{"accommodations":["REDUCED_WORKLOAD"],"medication":true,
                 "followUpPlan":[{"afterDays":7,"by":"SCHOOL"},{"afterDays":30,"by":"HOSPITAL"}]}}"""
                .formatted(referralId, requestId, SCHOOL, returned.minus(Duration.ofDays(3)), returned);
        Map<String, String> headers = Map.of("ce_specversion", "1.0", "ce_id", UUID.randomUUID().toString(), "ce_type", "cn.xinqiao.referral.status.v1",
                "ce_source", "/xinqiao/referral-service", "ce_subject", referralId.toString(), "content-type", "application/json");
        ContractValidator.load().assertConforms("referral.status.v1", headers, completed);
        KafkaProbe kafka = new KafkaProbe(bootstrap);
        kafka.sendCloudEvent("referral.status.v1", referralId.toString(), UUID.randomUUID(), "cn.xinqiao.referral.status.v1", completed);
        kafka.sendCloudEvent("referral.status.v1", referralId.toString(), UUID.randomUUID(), "cn.xinqiao.referral.status.v1", completed); // again, new id

        List<Map<String, Object>> all = List.of();
        for (Instant deadline = Instant.now().plusSeconds(20); Instant.now().isBefore(deadline) && all.size() < 2; Thread.sleep(200)) {
            all = given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/follow-ups?due=all").then().statusCode(200).extract().path("$");
        }
        Thread.sleep(1500); // the second copy has had its chance
        JsonPath list = given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/follow-ups?due=all").then().extract().jsonPath();
        assertEquals(2, list.getList("$").size(), "one follow-up per planned one, however often the plan arrives");
        LocalDate returnedOn = returned.atZone(ZoneId.of("Asia/Shanghai")).toLocalDate();
        assertEquals(List.of(returnedOn.plusDays(30).toString(), returnedOn.plusDays(7).toString()), list.getList("dueOn"), "newest due first");
        JsonPath overdue = given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/follow-ups?due=overdue").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("SCHOOL"), overdue.getList("by"), "the school's 7-day follow-up is three days late; the hospital's is ahead");
        assertEquals("甲回访", overdue.getString("[0].studentName"));
        String followUp = overdue.getString("[0].id");

        // the school's follow-up is three days late: the school admin hears at once, the bureau a day later, each once
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now();
        clocks.check(now);
        assertEquals(0, clocks.check(now).schoolAdmin(), "flagged once");
        JsonPath flagged = given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/follow-ups?due=overdue").then().extract().jsonPath();
        assertTrue(flagged.getString("[0].schoolAdminAlertedAt") != null, "the school admin was told");
        assertTrue(flagged.getString("[0].bureauAlertedAt") != null, "three days late: past the bureau's day as well");
        assertEquals(0, clocks.check(now.plusHours(1)).bureau(), "the bureau hears of a follow-up once");
        String alerts = given().auth().oauth2(TestTokens.analyst("370811")).get("/api/care-alerts?districtCode=370811").then().statusCode(200)
                .extract().asString();
        assertTrue(alerts.contains("FOLLOW_UP") && alerts.contains(SCHOOL), alerts);
        assertTrue(!alerts.contains("甲回访") && !alerts.contains("V1\""), "no identity in the bureau's alert");
        assertEquals(null, given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/follow-ups?due=all").then().extract()
                .jsonPath().getString("find { it.by == 'HOSPITAL' }.schoolAdminAlertedAt"), "the hospital's 30-day follow-up is not due");

        given().auth().oauth2(TestTokens.counselor("S370811399", "370811")).get("/api/schools/" + SCHOOL + "/follow-ups").then().statusCode(404);
        given().auth().oauth2(TestTokens.counselor("S370811399", "370811")).contentType("application/json").body(Map.of("outcome", "SEEN"))
                .post("/api/follow-ups/" + followUp + "/outcome").then().statusCode(404);
        given().auth().oauth2(COUNSELOR).contentType("application/json").body(Map.of("outcome", "FINE"))
                .post("/api/follow-ups/" + followUp + "/outcome").then().statusCode(400);

        given().auth().oauth2(COUNSELOR).contentType("application/json").body(Map.of("outcome", "WORSE", "note", "复学后再次出现自伤行为"))
                .post("/api/follow-ups/" + followUp + "/outcome").then().statusCode(200).body("outcome", equalTo("WORSE"));
        given().auth().oauth2(COUNSELOR).contentType("application/json").body(Map.of("outcome", "SEEN"))
                .post("/api/follow-ups/" + followUp + "/outcome").then().statusCode(409);
        ConsumerRecord<String, String> again = kafka.readUntil("referral.requests.v1", Duration.ofSeconds(20),
                        r -> r.stream().anyMatch(x -> x.value().contains(followUp)))
                .stream().filter(x -> x.value().contains(followUp)).findFirst().orElseThrow();
        ContractValidator.load().assertConforms("referral.requests.v1", KafkaProbe.headers(again), again.value());
        JsonPath request = JsonPath.from(again.value());
        assertEquals(List.of("FOLLOW_UP:WORSE"), request.getList("reasons.code"));
        assertEquals("CRITICAL", request.getString("riskLevel"), "back to the hospital at the case's level, HIGH at the least");
        assertTrue(!again.value().contains("自伤"), "the follow-up's note stays at the school");
        given().auth().oauth2(COUNSELOR).get("/api/cases/" + caseId).then().body("riskCase.status", equalTo("REFERRED"));
    }

    @Test
    void aDischargeThatBeganElsewhereOpensTheStudentsCaseWithItsFollowUps() throws Exception {
        String school = "S370811305";
        String counsellor = TestTokens.counselor(school, "370811");
        RosterImportTest.school(school, "出院返校测试中学");
        RosterImportTest.importAndWait(counsellor, school, "text/csv", "学号,姓名,性别,出生日期,年级,班级\nD1,乙返校,男,2010-06-06,10,2班\n"
                .getBytes(StandardCharsets.UTF_8));
        UUID referralId = UUID.randomUUID();
        Instant returned = Instant.now().minus(Duration.ofDays(1));
        String discharged = """
                {"referralId":"%s","requestIds":[],"studentKey":"%s","schoolId":"%s","districtCode":"370811","hospitalId":"H370800001",
                 "riskLevel":"MODERATE","status":"completed","businessStatus":"returned","origin":"HOSPITAL_RETURN",
                 "requestedAt":"%s","occurredAt":"%s","returnSummary":{"accommodations":["GRADUAL_RETURN"],"medication":true,
                 "followUpPlan":[{"afterDays":7,"by":"SCHOOL"},{"afterDays":30,"by":"SCHOOL"}]}}"""
                .formatted(referralId, pseudonyms.studentKey(school, "D1"), school, returned, returned);
        Map<String, String> headers = Map.of("ce_specversion", "1.0", "ce_id", UUID.randomUUID().toString(), "ce_type", "cn.xinqiao.referral.status.v1",
                "ce_source", "/xinqiao/referral-service", "ce_subject", referralId.toString(), "content-type", "application/json");
        ContractValidator.load().assertConforms("referral.status.v1", headers, discharged);
        KafkaProbe kafka = new KafkaProbe(bootstrap);
        kafka.sendCloudEvent("referral.status.v1", referralId.toString(), UUID.randomUUID(), "cn.xinqiao.referral.status.v1", discharged);
        kafka.sendCloudEvent("referral.status.v1", referralId.toString(), UUID.randomUUID(), "cn.xinqiao.referral.status.v1", discharged);

        List<Map<String, Object>> due = List.of();
        for (Instant deadline = Instant.now().plusSeconds(20); Instant.now().isBefore(deadline) && due.size() < 2; Thread.sleep(200)) {
            due = given().auth().oauth2(counsellor).get("/api/schools/" + school + "/follow-ups?due=all").then().statusCode(200).extract().path("$");
        }
        Thread.sleep(1500); // the second copy has had its chance
        JsonPath list = given().auth().oauth2(counsellor).get("/api/schools/" + school + "/follow-ups?due=all").then().extract().jsonPath();
        assertEquals(List.of(30, 7), list.getList("afterDays"));
        assertEquals(List.of("乙返校", "乙返校"), list.getList("studentName"));
        JsonPath queue = given().auth().oauth2(counsellor).get("/api/schools/" + school + "/risk-queue").then().statusCode(200).extract().jsonPath();
        assertEquals(1, queue.getList("$").size(), "one case for the student, however often the discharge arrives");
        assertEquals("MODERATE", queue.getString("[0].riskLevel"));
        assertEquals("returned", queue.getString("[0].referralBusinessStatus"));
        assertEquals(List.of("HOSPITAL_RETURN"), queue.getList("[0].reasons.code"));
        String caseId = queue.getString("[0].id");
        JsonPath detail = given().auth().oauth2(counsellor).get("/api/cases/" + caseId).then().statusCode(200).extract().jsonPath();
        assertEquals("HOSPITAL_RETURN", detail.getString("source"));
        assertTrue(detail.getList("steps.code").contains("COUNSELLING_SESSION"), detail.getList("steps.code").toString());
    }
}
