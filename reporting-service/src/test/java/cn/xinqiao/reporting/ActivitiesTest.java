package cn.xinqiao.reporting;

import cn.xinqiao.reporting.domain.Compliance;
import cn.xinqiao.reporting.domain.Semester;
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

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Mandated activities: recording, validation, tenancy, compliance per school and the county ranking (laggards first). */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class ActivitiesTest {

    // a city of its own so other test classes' schools do not enter the ranking
    static final String CITY = "371000";
    static final String STRONG = "371002"; // every school compliant
    static final String WEAK = "371003";   // one school of two compliant
    static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Shanghai"));

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EntityManager em;

    static boolean seeded;

    synchronized void seed() {
        if (seeded) {
            return;
        }
        KafkaProbe kafka = new KafkaProbe(bootstrap);
        List<UUID> ids = new ArrayList<>();
        for (String school : List.of("S371002001", "S371003001", "S371003002")) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            kafka.sendCloudEvent("directory.schools.v1", school, id, "cn.xinqiao.directory.school.v1", """
                    {"schoolId":"%s","name":"活动测试学校%s","districtCode":"%s","cityCode":"%s","enrolment":[],"total":0,
                     "updatedAt":"2026-09-01T00:00:00Z"}""".formatted(school, school.substring(7), school.substring(1, 7), CITY));
        }
        ReportingFlowTest.await(() -> ((Number) em.createNativeQuery("select count(*) from inbox where event_id = any (cast(?1 as uuid[]))")
                .setParameter(1, ids.stream().map(UUID::toString).toArray(String[]::new)).getSingleResult()).intValue() == 3, "schools known");
        for (String school : List.of("S371002001", "S371003001")) {
            String counselor = TestTokens.counselor(school, school.substring(1, 7));
            record(counselor, school, "LECTURE", 201);
            for (int i = 0; i < 4; i++) {
                record(counselor, school, "GROUP_COUNSELLING", 201);
            }
        }
        record(TestTokens.counselor("S371003002", WEAK), "S371003002", "LECTURE", 201);
        seeded = true;
    }

    static String record(String token, String school, String kind, int status) {
        return given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("kind", kind, "schoolId", school, "heldOn", TODAY.toString(), "title", "心理健康主题活动", "participants", 40))
                .post("/api/activities").then().statusCode(status).extract().asString();
    }

    @Test
    void complianceRanksTheLaggingCountyFirst() throws Exception {
        seed();
        String body = given().auth().oauth2(TestTokens.analyst(CITY)).get("/api/reports/activities?level=city&code=" + CITY)
                .then().statusCode(200).extract().asString();
        JsonNode report = ReportingFlowTest.read(body);
        JsonNode ranking = ReportingFlowTest.table(report, "county-ranking");
        assertEquals(WEAK, ranking.path("rows").get(0).path("code").asText(), "laggards first");
        assertEquals(STRONG, ranking.path("rows").get(1).path("code").asText());
        assertEquals(50.0, ReportingFlowTest.cell(ranking, WEAK, "rate").path("value").asDouble(), 1e-9);
        assertEquals(100.0, ReportingFlowTest.cell(ranking, STRONG, "rate").path("value").asDouble(), 1e-9);
        JsonNode schools = ReportingFlowTest.table(report, "schools");
        assertEquals("S371003002", schools.path("rows").get(0).path("code").asText(), "the non-compliant school leads the list");
        Compliance.Status expected = Compliance.status(0, 4, Semester.containing(TODAY).last(), TODAY);
        assertEquals(expected.zh, ReportingFlowTest.cell(schools, "S371003002", "groupStatus").path("display").asText());
        assertEquals("否", ReportingFlowTest.cell(schools, "S371003002", "compliant").path("display").asText());
        assertEquals("是", ReportingFlowTest.cell(schools, "S371002001", "compliant").path("display").asText());
    }

    @Test
    void aSchoolClosedBeforeTheSemesterEndsLeavesItsCompliance() {
        seed();
        // a second school of the strong county, closed today: counted, it would make the county 1 of 2 compliant
        UUID id = UUID.randomUUID();
        new KafkaProbe(bootstrap).sendCloudEvent("directory.schools.v1", "S371002009", id, "cn.xinqiao.directory.school.v1",
                "{\"schoolId\":\"S371002009\",\"name\":\"已撤并测试学校\",\"districtCode\":\"" + STRONG + "\",\"cityCode\":\"" + CITY
                        + "\",\"enrolment\":[],\"total\":0,\"closedOn\":\"" + TODAY + "\",\"updatedAt\":\""
                        + java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC) + "\"}");
        ReportingFlowTest.awaitProcessed(em, List.of(id), "the closed school is in the directory");
        JsonNode ranking = ReportingFlowTest.table(ReportingFlowTest.read(given().auth().oauth2(TestTokens.analyst(CITY))
                .get("/api/reports/activities?level=city&code=" + CITY).then().statusCode(200).extract().asString()), "county-ranking");
        assertEquals(100.0, ReportingFlowTest.cell(ranking, STRONG, "rate").path("value").asDouble(), 1e-9, "the closed school is not counted");
        assertEquals(1, ReportingFlowTest.count(ReportingFlowTest.cell(ranking, STRONG, "schools")));
        // the semester before it closed still has it
        Semester before = Semester.containing(TODAY.minusMonths(6));
        JsonNode earlier = ReportingFlowTest.table(ReportingFlowTest.read(given().auth().oauth2(TestTokens.analyst(CITY))
                .get("/api/reports/activities?level=city&code=" + CITY + "&semester=" + before.id()).then().statusCode(200).extract().asString()),
                "county-ranking");
        assertEquals(2, ReportingFlowTest.count(ReportingFlowTest.cell(earlier, STRONG, "schools")));
    }

    @Test
    void badActivitiesAreRejectedWithFieldErrorsAndStoreNothing() {
        seed();
        String counselor = TestTokens.counselor("S371002001", STRONG);
        long before = count();
        given().auth().oauth2(counselor).contentType("application/json")
                .body(Map.of("kind", "PARTY", "schoolId", "S371002001", "heldOn", TODAY.plusDays(3).toString(), "title", "", "participants", -1))
                .post("/api/activities").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("kind")).body("errors.field", hasItem("heldOn"))
                .body("errors.field", hasItem("title")).body("errors.field", hasItem("participants"));
        given().auth().oauth2(counselor).contentType("application/json").body("{\"kind\":")
                .post("/api/activities").then().statusCode(400).contentType("application/problem+json");
        record(counselor, "S371003001", "LECTURE", 403); // another school
        assertEquals(before, count());
    }

    @Test
    void theBureauRecordsTeacherTrainingsAndSchoolsCannotSeeEachOther() {
        seed();
        String analyst = TestTokens.analyst(CITY);
        given().auth().oauth2(analyst).contentType("application/json")
                .body(Map.of("kind", "TEACHER_TRAINING", "districtCode", CITY, "heldOn", TODAY.toString(), "title", "全市心理教师培训",
                        "participants", 120))
                .post("/api/activities").then().statusCode(201).body("schoolId", equalTo(null));
        given().auth().oauth2(TestTokens.counselor("S371002001", STRONG)).get("/api/activities?schoolId=S371003001")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.counselor("S371002001", STRONG)).get("/api/activities?schoolId=S371002001")
                .then().statusCode(200).body("size()", equalTo(5));
        JsonNode report = ReportingFlowTest.read(given().auth().oauth2(analyst).get("/api/reports/activities?level=city&code=" + CITY)
                .then().statusCode(200).extract().asString());
        assertEquals(1, ReportingFlowTest.count(ReportingFlowTest.cell(ReportingFlowTest.table(report, "teacher-trainings"), null, "held")));
    }

    private long count() {
        return ((Number) em.createNativeQuery("select count(*) from activity").getSingleResult()).longValue();
    }
}
