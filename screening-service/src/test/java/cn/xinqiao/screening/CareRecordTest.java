package cn.xinqiao.screening;

import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A student's care record across two campaigns, and the risk queue showing them once. */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class CareRecordTest {

    static final String SCHOOL = "S370811302";
    static final String COUNSELOR = TestTokens.counselor(SCHOOL, "370811");

    @Inject
    EntityManager em;

    @Test
    void aStudentScreenedInTwoCampaignsHasOneRecordAndOneRowInTheQueue() throws Exception {
        RosterImportTest.school(SCHOOL, "档案测试中学");
        RosterImportTest.importAndWait(COUNSELOR, SCHOOL, "text/csv",
                "学号,姓名,性别,出生日期,年级,班级\nR1,甲档案,女,2010-01-01,10,1班\nR2,乙档案,男,2010-02-02,10,1班\n".getBytes(StandardCharsets.UTF_8));
        String spring = campaign("2026 春季筛查");
        String autumn = campaign("2026 秋季筛查");
        paper(spring, "R1", new int[]{1, 1, 1, 1, 2, 2, 2, 2, 0}, "r1-spring");   // 12: moderate
        Thread.sleep(20); // the two results' times differ, so "newest first" has one answer
        paper(autumn, "R1", new int[]{2, 2, 2, 2, 2, 2, 2, 2, 2}, "r1-autumn");   // item 9 = 2: critical
        paper(autumn, "R2", new int[]{0, 0, 0, 0, 0, 0, 0, 0, 0}, "r2-autumn");   // minimal: no case

        JsonPath queue = given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/risk-queue").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("R1"), queue.getList("studentNumber"), "one row per student, not one per campaign");
        assertEquals("CRITICAL", queue.getString("[0].riskLevel"), "the row is the student's highest case");
        assertEquals(1, queue.getInt("[0].otherCampaigns"), "and says they had a case in another campaign");

        JsonPath record = given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/students/r1/care-record")
                .then().statusCode(200).body("student.name", equalTo("甲档案")).extract().jsonPath();
        List<Map<String, Object>> screenings = record.getList("timeline.findAll { it.kind == 'SCREENING' }");
        assertEquals(2, screenings.size());
        assertEquals("2026 秋季筛查", screenings.get(0).get("campaign"), "newest first");
        assertEquals(true, screenings.get(0).get("criticalItem"));
        assertEquals("2026 春季筛查", screenings.get(1).get("campaign"));
        assertEquals(2, record.getList("timeline.findAll { it.kind == 'RISK_CASE' }").size());
        assertEquals(List.of(12, 18), record.getList("scores.'PHQ-A'.totalScore"), "the PHQ-A line, oldest first");
        List<String> times = record.getList("timeline.at");
        for (int i = 1; i < times.size(); i++) {
            assertTrue(OffsetDateTime.parse(times.get(i - 1)).compareTo(OffsetDateTime.parse(times.get(i))) >= 0, "newest first: " + times);
        }
        assertTrue(((Number) em.createNativeQuery("select count(*) from audit_log where resource = 'care-record' and school_id = ?1")
                .setParameter(1, SCHOOL).getSingleResult()).longValue() >= 1, "the read is on record");

        given().auth().oauth2(TestTokens.counselor("S370811399", "370811")).get("/api/schools/" + SCHOOL + "/students/R1/care-record")
                .then().statusCode(404);
        given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/students/NOBODY/care-record").then().statusCode(404);
        given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/students/R1;drop/care-record").then().statusCode(400);
        given().auth().oauth2(TestTokens.as("analyst-1", "bureau-analyst").district("370811").token())
                .get("/api/schools/" + SCHOOL + "/students/R1/care-record").then().statusCode(403);
    }

    private static String campaign(String name) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return given().auth().oauth2(COUNSELOR).contentType("application/json")
                .body(Map.of("name", name, "instruments", List.of("PHQ-A"), "schoolIds", List.of(SCHOOL), "grades", List.of(10),
                        "opensAt", now.minusHours(1).toString(), "closesAt", now.plusDays(7).toString()))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
    }

    private static void paper(String campaign, String student, int[] answers, String clientId) {
        Map<String, Object> body = new HashMap<>(Map.of("campaignId", campaign, "instrumentId", "PHQ-A", "answers", answers,
                "clientSubmissionId", clientId, "studentNumber", student, "mode", "PAPER"));
        given().auth().oauth2(COUNSELOR).contentType("application/json").body(body).post("/api/submissions").then().statusCode(201);
    }
}
