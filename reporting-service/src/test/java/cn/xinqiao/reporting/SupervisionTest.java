package cn.xinqiao.reporting;

import cn.xinqiao.reporting.domain.Rectification;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static cn.xinqiao.reporting.ReportingFlowTest.cell;
import static cn.xinqiao.reporting.ReportingFlowTest.table;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Supervision: an inspection's findings become items; the school answers, the bureau reopens and closes; overdue is counted. */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class SupervisionTest {

    static final String COUNTY = "371402";
    static final String SCHOOL = "S371402001";
    static final String BUREAU = TestTokens.analyst(COUNTY);
    static final String COUNSELLOR = TestTokens.counselor(SCHOOL, COUNTY);
    static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Shanghai"));

    @Test
    void theRuleOfAnItem() {
        assertEquals(Rectification.Status.ANSWERED, Rectification.next(Rectification.Status.OPEN, Rectification.Action.ANSWER));
        assertNull(Rectification.next(Rectification.Status.OPEN, Rectification.Action.CLOSE), "nothing to close before the school answers");
        assertEquals(Rectification.Status.OPEN, Rectification.next(Rectification.Status.CLOSED, Rectification.Action.REOPEN));
        assertNull(Rectification.next(Rectification.Status.CLOSED, Rectification.Action.ANSWER));
        assertTrue(Rectification.overdue(Rectification.Status.OPEN, TODAY.minusDays(1), TODAY));
        assertTrue(!Rectification.overdue(Rectification.Status.ANSWERED, TODAY.minusDays(1), TODAY), "answered in time is not overdue");
    }

    @Test
    void findingsAreAnsweredReopenedClosedAndTheOverdueCounted() {
        LocalDate visit = TODAY.minusDays(20);
        JsonNode inspection = ReportingFlowTest.read(given().auth().oauth2(BUREAU).contentType("application/json").body(Map.of(
                        "schoolId", SCHOOL, "inspectedOn", visit.toString(), "inspectors", List.of("王督学", "李督学"), "summary", "心理辅导室已建成",
                        "findings", List.of(
                                Map.of("code", "CURRICULUM", "text", "初二心理健康课未排入课表", "dueOn", TODAY.minusDays(1).toString()),
                                Map.of("code", "TRAINING", "text", "12名班主任未参加培训", "dueOn", TODAY.plusDays(10).toString()),
                                Map.of("code", "RECORDS", "text", "个案档案未上锁保管", "dueOn", TODAY.plusDays(10).toString()))))
                .post("/api/inspections").then().statusCode(201).extract().asString());
        assertEquals(3, inspection.path("items").size());
        String late = itemOf(inspection, "CURRICULUM");
        String training = itemOf(inspection, "TRAINING");
        assertTrue(inspection.path("items").findValuesAsText("overdue").contains("true"), "the curriculum item is already overdue");

        // the school answers; the bureau reopens with what is still missing and a new deadline; answered again, closed
        given().auth().oauth2(COUNSELLOR).contentType("application/json").body(Map.of("text", "已安排 8 名班主任参加 11 月培训"))
                .post("/api/inspections/items/" + training + "/answer").then().statusCode(200).body("status", equalTo("ANSWERED"));
        given().auth().oauth2(BUREAU).contentType("application/json").body(Map.of("decision", "REOPEN", "note", "还有 4 名未参加",
                        "dueOn", TODAY.plusDays(30).toString()))
                .post("/api/inspections/items/" + training + "/decision").then().statusCode(200).body("status", equalTo("OPEN"))
                .body("dueOn", equalTo(TODAY.plusDays(30).toString()));
        given().auth().oauth2(COUNSELLOR).contentType("application/json").body(Map.of("text", "其余 4 名已参加 12 月培训"))
                .post("/api/inspections/items/" + training + "/answer").then().statusCode(200);
        given().auth().oauth2(BUREAU).contentType("application/json").body(Map.of("decision", "CLOSE", "note", "已核实"))
                .post("/api/inspections/items/" + training + "/decision").then().statusCode(200).body("status", equalTo("CLOSED"))
                .body("steps.action", equalTo(List.of("RAISED", "ANSWERED", "REOPENED", "ANSWERED", "CLOSED")));

        // the rule, the tenancy and bad input
        given().auth().oauth2(BUREAU).contentType("application/json").body(Map.of("decision", "CLOSE"))
                .post("/api/inspections/items/" + late + "/decision").then().statusCode(409);
        given().auth().oauth2(TestTokens.counselor("S371402002", COUNTY)).contentType("application/json").body(Map.of("text", "不是我们学校"))
                .post("/api/inspections/items/" + late + "/answer").then().statusCode(404);
        given().auth().oauth2(TestTokens.analyst("371403")).contentType("application/json").body(Map.of("decision", "REOPEN", "note", "x"))
                .post("/api/inspections/items/" + training + "/decision").then().statusCode(404);
        given().auth().oauth2(TestTokens.analyst("371403")).contentType("application/json").body(Map.of("schoolId", SCHOOL,
                "inspectedOn", visit.toString(), "inspectors", List.of("赵督学"), "findings", List.of())).post("/api/inspections").then().statusCode(403);
        given().auth().oauth2(BUREAU).contentType("application/json").body(Map.of("schoolId", SCHOOL, "inspectedOn", TODAY.plusDays(1).toString(),
                        "inspectors", List.of("赵督学"), "findings", List.of(Map.of("code", "NOPE", "text", "", "dueOn", visit.minusDays(1).toString()))))
                .post("/api/inspections").then().statusCode(400).body("errors.field", hasItem("inspectedOn"))
                .body("errors.field", hasItem("findings[0].code")).body("errors.field", hasItem("findings[0].text"));

        // the school sees its own; the bureau's report counts the items
        given().auth().oauth2(COUNSELLOR).get("/api/inspections?schoolId=" + SCHOOL).then().statusCode(200).body("size()", equalTo(1));
        given().auth().oauth2(TestTokens.counselor("S371402002", COUNTY)).get("/api/inspections?schoolId=" + SCHOOL).then().statusCode(403);
        JsonNode report = table(ReportingFlowTest.read(given().auth().oauth2(BUREAU).get("/api/reports/supervision?level=county&code=" + COUNTY)
                .then().statusCode(200).extract().asString()), "inspections");
        assertEquals(1, cell(report, SCHOOL, "inspections").path("value").asInt());
        assertEquals(3, cell(report, SCHOOL, "items").path("value").asInt());
        assertEquals(2, cell(report, SCHOOL, "open").path("value").asInt());
        assertEquals(1, cell(report, SCHOOL, "closed").path("value").asInt());
        assertEquals(1, cell(report, SCHOOL, "overdue").path("value").asInt());
    }

    static String itemOf(JsonNode inspection, String code) {
        for (JsonNode i : inspection.path("items")) {
            if (i.path("code").asText().equals(code)) {
                return i.path("id").asText();
            }
        }
        throw new AssertionError("no item " + code);
    }
}
