package cn.xinqiao.reporting;

import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static cn.xinqiao.reporting.ReportingFlowTest.cell;
import static cn.xinqiao.reporting.ReportingFlowTest.table;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Teacher training coverage: a school of 120 teachers of whom 3 miss every training is exactly 117 / 120 trained; the
 * names of the three are the school's alone; bad lists change nothing; a training removed takes its attendance along.
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class TrainingTest {

    static final String COUNTY = "371202";
    static final String SCHOOL = "S371202001";
    static final String NEIGHBOUR = "S371202002";
    static final String ELSEWHERE = "S371203001";
    static final String BUREAU = TestTokens.analyst(COUNTY);
    static final String COUNSELLOR = TestTokens.counselor(SCHOOL, COUNTY);
    static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Shanghai"));

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EntityManager em;

    static String staffCsv(int from, int to) {
        StringBuilder csv = new StringBuilder("\uFEFF工号,姓名,岗位\r\n");
        for (int i = from; i <= to; i++) {
            csv.append(String.format("T%03d,培训测试教师%d,%s\r\n", i, i, i <= 30 ? "班主任" : i <= 33 ? "心理教师" : "其他"));
        }
        return csv.toString();
    }

    static String attendance(int from, int to) {
        StringBuilder csv = new StringBuilder("学校代码,工号\n");
        for (int i = from; i <= to; i++) {
            csv.append(SCHOOL).append(String.format(",T%03d\n", i));
        }
        return csv.toString();
    }

    String training(String title) {
        return given().auth().oauth2(BUREAU).contentType("application/json").body(Map.of("kind", "TEACHER_TRAINING", "districtCode", COUNTY,
                "heldOn", TODAY.toString(), "title", title, "participants", 60)).post("/api/activities").then().statusCode(201).extract().path("id");
    }

    JsonNode coverage() {
        return table(ReportingFlowTest.read(given().auth().oauth2(BUREAU).get("/api/reports/training?level=county&code=" + COUNTY)
                .then().statusCode(200).extract().asString()), "coverage");
    }

    @Test
    void aSchoolOf120WithThreeWhoMissedEveryTrainingIs117Of120() {
        KafkaProbe kafka = new KafkaProbe(bootstrap);
        List<UUID> ids = new ArrayList<>();
        for (String school : List.of(SCHOOL, NEIGHBOUR)) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            kafka.sendCloudEvent("directory.schools.v1", school, id, "cn.xinqiao.directory.school.v1", """
                    {"schoolId":"%s","name":"培训测试学校%s","districtCode":"%s","cityCode":"371200","enrolment":[],"total":0,
                     "updatedAt":"2026-09-01T00:00:00Z"}""".formatted(school, school.substring(7), COUNTY));
        }
        ReportingFlowTest.awaitProcessed(em, ids, "the schools are in the directory");

        given().auth().oauth2(COUNSELLOR).contentType("text/csv").body(staffCsv(1, 120).getBytes(StandardCharsets.UTF_8))
                .put("/api/schools/" + SCHOOL + "/staff").then().statusCode(200)
                .body("added", equalTo(120)).body("updated", equalTo(0)).body("active", equalTo(120));
        // the neighbour's ten teachers, in GB18030 as Excel saves a CSV in China; nobody of them trained
        given().auth().oauth2(TestTokens.counselor(NEIGHBOUR, COUNTY)).contentType("text/csv")
                .body(staffCsv(1, 10).replace("\uFEFF", "").getBytes(java.nio.charset.Charset.forName("GB18030")))
                .put("/api/schools/" + NEIGHBOUR + "/staff").then().statusCode(200).body("added", equalTo(10));

        List<String> trainings = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            trainings.add(training("心理健康教育全员培训第" + i + "期"));
        }
        // the bureau's attendance lists (staff numbers only) for the first three; the school ticks the fourth
        given().auth().oauth2(BUREAU).contentType("text/csv").body(utf8(attendance(1, 60))).post("/api/activities/" + trainings.get(0) + "/attendance")
                .then().statusCode(200).body("added", equalTo(60));
        given().auth().oauth2(BUREAU).contentType("text/csv").body(utf8(attendance(61, 100))).post("/api/activities/" + trainings.get(1) + "/attendance")
                .then().statusCode(200).body("added", equalTo(40));
        given().auth().oauth2(BUREAU).contentType("text/csv").body(utf8(attendance(101, 110))).post("/api/activities/" + trainings.get(2) + "/attendance")
                .then().statusCode(200);
        List<String> ticked = new ArrayList<>(List.of("T001", "T050"));
        for (int i = 111; i <= 117; i++) {
            ticked.add(String.format("T%03d", i));
        }
        given().auth().oauth2(COUNSELLOR).contentType("application/json").body(Map.of("staffIds", ticked))
                .put("/api/schools/" + SCHOOL + "/trainings/" + trainings.get(3) + "/attendance").then().statusCode(200)
                .body("attendees.size()", equalTo(9));

        JsonNode table = coverage();
        assertEquals(120, cell(table, SCHOOL, "teachers").path("value").asInt());
        assertEquals(117, cell(table, SCHOOL, "trained").path("value").asInt());
        assertEquals(97.5, cell(table, SCHOOL, "coverage").path("value").asDouble(), 1e-9);
        assertEquals(3, cell(table, SCHOOL, "untrained").path("value").asInt());
        assertEquals(30, cell(table, SCHOOL, "headsTrained").path("value").asInt());
        assertEquals(0.0, cell(table, NEIGHBOUR, "coverage").path("value").asDouble(), 1e-9);
        assertEquals(130, cell(table, null, "teachers").path("value").asInt());
        assertEquals(117, cell(table, null, "trained").path("value").asInt());
        JsonNode report = ReportingFlowTest.read(given().auth().oauth2(BUREAU).get("/api/reports/training?level=county&code=" + COUNTY).asString());
        assertEquals(5, cell(table(report, "sessions"), null, "held").path("value").asInt());
        assertEquals("已达标", cell(table(report, "sessions"), null, "status").path("display").asText());
        assertFalse(report.toString().contains("培训测试教师"), "the bureau's report names nobody");

        // who is missing: the school's own list, the untrained first, and the read is audited
        long audited = audits();
        JsonNode staff = ReportingFlowTest.read(given().auth().oauth2(COUNSELLOR).get("/api/schools/" + SCHOOL + "/staff")
                .then().statusCode(200).extract().asString());
        assertEquals(120, staff.size());
        assertEquals(List.of("T118", "T119", "T120"), List.of(staff.get(0).path("staffId").asText(), staff.get(1).path("staffId").asText(),
                staff.get(2).path("staffId").asText()));
        assertFalse(staff.get(2).path("trained").asBoolean());
        assertTrue(staff.get(3).path("trained").asBoolean());
        assertEquals(audited + 1, audits(), "reading the names is audited");
        given().auth().oauth2(BUREAU).get("/api/schools/" + SCHOOL + "/staff").then().statusCode(403);
        given().auth().oauth2(TestTokens.counselor(NEIGHBOUR, COUNTY)).get("/api/schools/" + SCHOOL + "/staff").then().statusCode(403);
        given().auth().oauth2(COUNSELLOR).get("/api/schools/" + SCHOOL + "/trainings").then().statusCode(200)
                .body("size()", equalTo(5)).body("[3].attendees", hasItem("T117"));

        // bad input changes nothing
        given().auth().oauth2(COUNSELLOR).contentType("text/csv").body(utf8("工号,姓名,岗位\nT001,张老师,校长\nT001,李老师,其他\nT002,=HYPERLINK(1),其他\n"))
                .put("/api/schools/" + SCHOOL + "/staff").then().statusCode(400)
                .body("errors.field", hasItem("line 2")).body("errors.field", hasItem("line 3")).body("errors.field", hasItem("line 4"));
        given().auth().oauth2(BUREAU).contentType("text/csv").body(utf8("学校代码,工号\n" + SCHOOL + ",T118\n" + ELSEWHERE + ",T001\n"))
                .post("/api/activities/" + trainings.get(4) + "/attendance").then().statusCode(400);
        given().auth().oauth2(COUNSELLOR).contentType("application/json").body(Map.of("staffIds", List.of("T118", "X999")))
                .put("/api/schools/" + SCHOOL + "/trainings/" + trainings.get(4) + "/attendance").then().statusCode(400);
        given().auth().oauth2(COUNSELLOR).contentType("application/json").body(Map.of("staffIds", List.of("T118")))
                .put("/api/schools/" + SCHOOL + "/trainings/" + UUID.randomUUID() + "/attendance").then().statusCode(404);
        given().auth().oauth2(BUREAU).get("/api/reports/training?level=county&code=" + COUNTY + "&year=1999").then().statusCode(400);
        assertEquals(117, coverage().path("rows").get(0).path("cells").get(1).path("value").asInt(), "still 117 after the refused lists");

        // a new list without T120 keeps the person inactive; a training removed takes its attendance along
        given().auth().oauth2(COUNSELLOR).contentType("text/csv").body(utf8(staffCsv(1, 119))).put("/api/schools/" + SCHOOL + "/staff")
                .then().statusCode(200).body("updated", equalTo(119)).body("deactivated", equalTo(1));
        given().auth().oauth2(BUREAU).delete("/api/activities/" + trainings.get(2)).then().statusCode(204);
        JsonNode after = coverage();
        assertEquals(119, cell(after, SCHOOL, "teachers").path("value").asInt());
        assertEquals(107, cell(after, SCHOOL, "trained").path("value").asInt(), "T101–T110 trained only at the removed training");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    long audits() {
        return ((Number) em.createNativeQuery("select count(*) from audit_log where resource = 'staff-roster' and action = 'READ'")
                .getSingleResult()).longValue();
    }
}
