package cn.xinqiao.reporting;

import cn.xinqiao.reporting.domain.Semester;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The expert group's analysis report: a draft, signed versions frozen with their figures and digest, the PDF, who may do what. */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class AnalysisReportTest {

    static final String CITY = "371500";
    static final String EXPERT = TestTokens.as("expert.kong", "expert-reviewer").district(CITY).token();
    static final String SEMESTER = Semester.containing(LocalDate.now(ZoneId.of("Asia/Shanghai"))).id();

    @Inject
    EntityManager em;

    String draft(String commentary) {
        return given().auth().oauth2(EXPERT).contentType("application/json").body(Map.of("level", "city", "code", CITY, "semester", SEMESTER,
                "commentary", commentary)).post("/api/analysis-reports").then().statusCode(200).body("status", equalTo("DRAFT"))
                .body("version", nullValue()).extract().path("id");
    }

    @Test
    void signedVersionsAreFrozenAndTheDraftIsTheExpertsAlone() throws Exception {
        String first = draft("本学期筛查覆盖率总体达标。");
        assertEquals(first, draft("本学期筛查覆盖率总体达标，高风险学生均已转介。"), "one draft per area and semester, rewritten");
        given().auth().oauth2(EXPERT).post("/api/analysis-reports/" + first + "/signature").then().statusCode(200)
                .body("status", equalTo("SIGNED")).body("version", equalTo(1)).body("digest", matchesPattern("[0-9a-f]{64}"))
                .body("signerName", equalTo("expert.kong"));
        given().auth().oauth2(EXPERT).post("/api/analysis-reports/" + first + "/signature").then().statusCode(409);

        String second = draft("补充：初中阶段女生焦虑比例较高，建议加强团体辅导。");
        given().auth().oauth2(EXPERT).post("/api/analysis-reports/" + second + "/signature").then().statusCode(200).body("version", equalTo(2));
        String analyst = TestTokens.analyst(CITY);
        JsonNode versions = ReportingFlowTest.read(given().auth().oauth2(analyst)
                .get("/api/analysis-reports?level=city&code=" + CITY + "&semester=" + SEMESTER).then().statusCode(200).extract().asString());
        assertEquals(2, versions.size());
        assertEquals("本学期筛查覆盖率总体达标，高风险学生均已转介。", versions.get(1).path("commentary").asText(), "version 1 is as signed");

        JsonNode one = ReportingFlowTest.read(given().auth().oauth2(analyst).get("/api/analysis-reports/" + first).then().statusCode(200)
                .extract().asString());
        assertTrue(one.path("intact").asBoolean(), "the digest matches what is stored");
        assertTrue(one.path("figures").toString().contains("ranking-coverage") && one.path("figures").toString().contains("trend-coverage"));
        // a change behind the service's back no longer matches the digest
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update analysis_report set commentary = commentary || '。' where id = cast(?1 as uuid)")
                .setParameter(1, first).executeUpdate());
        given().auth().oauth2(analyst).get("/api/analysis-reports/" + first).then().statusCode(200).body("intact", equalTo(false));

        byte[] pdf = given().auth().oauth2(analyst).get("/api/analysis-reports/" + second + "/pdf").then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(doc).replaceAll("\\s+", "");
            assertTrue(text.contains("专家组分析意见") && text.contains("建议加强团体辅导"), text);
            assertTrue(text.contains("第2版") && text.contains("专家组审核签发：expert.kong"), text);
        }

        // only the area's experts write and sign; the bureau reads; others see nothing
        given().auth().oauth2(analyst).contentType("application/json").body(Map.of("level", "city", "code", CITY, "semester", SEMESTER,
                "commentary", "x")).post("/api/analysis-reports").then().statusCode(403);
        given().auth().oauth2(TestTokens.as("expert.other", "expert-reviewer").district("370800").token())
                .get("/api/analysis-reports/" + second).then().statusCode(403);
        given().auth().oauth2(TestTokens.counselor("S371502001", "371502")).get("/api/analysis-reports/" + second).then().statusCode(403);
        given().auth().oauth2(EXPERT).contentType("application/json").body(Map.of("level", "school", "code", "S371502001", "semester", SEMESTER,
                "commentary", "x")).post("/api/analysis-reports").then().statusCode(400);
        given().auth().oauth2(EXPERT).contentType("application/json").body(Map.of("level", "city", "code", CITY, "semester", "2026-winter",
                "commentary", "x")).post("/api/analysis-reports").then().statusCode(400);
        given().auth().oauth2(EXPERT).contentType("application/json").body(Map.of("level", "city", "code", CITY, "semester", SEMESTER,
                "commentary", " ")).post("/api/analysis-reports").then().statusCode(400);
        // the expert reads the de-identified reports of the city
        given().auth().oauth2(EXPERT).get("/api/reports/trends?level=city&code=" + CITY).then().statusCode(200);
        assertFalse(given().auth().oauth2(EXPERT).get("/api/reports/rankings?level=city&code=" + CITY).asString().isEmpty());
    }
}
