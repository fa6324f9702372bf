package cn.xinqiao.referral;

import cn.xinqiao.contracts.ContractValidator;
import cn.xinqiao.platform.pseudonym.Pseudonyms;
import cn.xinqiao.referral.lifecycle.Referral;
import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A discharge back to school that did not begin with a referral from here: checked against the roster by number, name
 * and birth date together, kept as a closed referral of origin HOSPITAL_RETURN, readable by the school with its
 * return summary, and announced on referral.status.v1 with the coded summary only.
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
@QuarkusTestResource(ScreeningRosterStandIn.class)
class HospitalReturnsTest {

    static final String ADMIN = TestTokens.as("admin-1", "platform-admin").token();
    static final String HOSPITAL = "H370800221";
    static final String SCHOOL = "S370886001";
    static final ObjectMapper JSON = new ObjectMapper();
    static final ContractValidator CONTRACTS = ContractValidator.load();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    Pseudonyms pseudonyms;

    @BeforeEach
    void hospital() {
        given().auth().oauth2(ADMIN).contentType("application/json")
                .body(Map.of("name", "出院测试医院", "districtCode", "370800")).put("/api/hospitals/" + HOSPITAL).then().statusCode(200);
        given().auth().oauth2(ADMIN).contentType("application/json")
                .body(Map.of("name", "外市医院", "districtCode", "370100")).put("/api/hospitals/H370100221").then().statusCode(200);
    }

    @Test
    void aClinicianDischargesAStudentBackToSchoolAndTheSchoolReadsTheSummary() throws Exception {
        String number = "R" + System.nanoTime() % 1_000_000;
        String key = pseudonyms.studentKey(SCHOOL, number);
        Map<String, Object> body = discharge(number, "学生" + key.substring(0, 4));
        String clinician = TestTokens.clinician(HOSPITAL);

        String id = given().auth().oauth2(clinician).contentType("application/json").body(body).post("/api/referrals/returns")
                .then().statusCode(201).body("origin", equalTo("HOSPITAL_RETURN")).body("status", equalTo("completed"))
                .body("businessStatus", equalTo("returned")).body("open", equalTo(false))
                .body("returnSummary.followUpPlan.afterDays", equalTo(List.of(7, 30))).extract().path("id");

        String counsellor = TestTokens.counselor(SCHOOL, "370886");
        given().auth().oauth2(counsellor).get("/api/referrals/" + id).then().statusCode(200)
                .body("returnSummary.recommendations", equalTo("返校后每周心理面谈一次")).body("hospitalId", equalTo(HOSPITAL));
        given().auth().oauth2(TestTokens.counselor("S370886002", "370886")).get("/api/referrals/" + id).then().statusCode(404);

        Predicate<ConsumerRecord<String, String>> mine = r -> r.value().contains(id);
        ConsumerRecord<String, String> status = new KafkaProbe(bootstrap).readUntil("referral.status.v1", Duration.ofSeconds(20),
                rs -> rs.stream().anyMatch(mine)).stream().filter(mine).findFirst().orElseThrow(() -> new AssertionError("no status event"));
        CONTRACTS.assertConforms("referral.status.v1", KafkaProbe.headers(status), status.value());
        JsonNode event = JSON.readTree(status.value());
        assertEquals("HOSPITAL_RETURN", event.path("origin").asText());
        assertEquals("returned", event.path("businessStatus").asText());
        assertEquals(key, event.path("studentKey").asText());
        assertEquals(2, event.path("returnSummary").path("followUpPlan").size());
        assertFalse(status.value().contains("面谈") || status.value().contains("学生"), "no free text, no name on the status topic");
        Referral stored = QuarkusTransaction.requiringNew().call(() -> Referral.<Referral>findById(java.util.UUID.fromString(id)));
        assertEquals("MODERATE", stored.riskLevel);
    }

    @Test
    void aStudentTheHospitalCannotNameExactlyIsNotFoundAndNothingIsKept() {
        String number = "R" + System.nanoTime() % 1_000_000;
        String clinician = TestTokens.clinician(HOSPITAL);
        long before = QuarkusTransaction.requiringNew().call(() -> Referral.count("origin", Referral.HOSPITAL_RETURN));

        given().auth().oauth2(clinician).contentType("application/json").body(discharge(number, "张三")).post("/api/referrals/returns")
                .then().statusCode(422).contentType("application/problem+json").body("detail", equalTo(
                        "no student with this number, name and birth date on that school's roster"));
        Map<String, Object> wrongBirth = discharge(number, "学生" + pseudonyms.studentKey(SCHOOL, number).substring(0, 4));
        wrongBirth.put("birthDate", "2010-03-05");
        given().auth().oauth2(clinician).contentType("application/json").body(wrongBirth).post("/api/referrals/returns").then().statusCode(422);
        // a hospital of another city, a counsellor, a malformed body
        given().auth().oauth2(TestTokens.clinician("H370100221")).contentType("application/json")
                .body(discharge(number, "学生" + pseudonyms.studentKey(SCHOOL, number).substring(0, 4))).post("/api/referrals/returns")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.counselor(SCHOOL, "370886")).contentType("application/json").body(discharge(number, "学生"))
                .post("/api/referrals/returns").then().statusCode(403);
        Map<String, Object> noSummary = discharge(number, "学生");
        noSummary.remove("returnSummary");
        given().auth().oauth2(clinician).contentType("application/json").body(noSummary).post("/api/referrals/returns").then().statusCode(400);
        assertEquals(before, QuarkusTransaction.requiringNew().call(() -> Referral.count("origin", Referral.HOSPITAL_RETURN)));
    }

    static Map<String, Object> discharge(String number, String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("schoolId", SCHOOL);
        body.put("studentNumber", number);
        body.put("studentName", name);
        body.put("birthDate", "2010-03-04");
        body.put("dischargedAt", OffsetDateTime.now(ZoneOffset.UTC).minusHours(3).toString());
        body.put("note", "住院两周，情绪稳定后出院");
        body.put("returnSummary", Map.of("recommendations", "返校后每周心理面谈一次", "accommodations", List.of("GRADUAL_RETURN"),
                "medication", true, "followUpPlan", List.of(Map.of("afterDays", 7, "by", "SCHOOL"), Map.of("afterDays", 30, "by", "HOSPITAL"))));
        return body;
    }
}
