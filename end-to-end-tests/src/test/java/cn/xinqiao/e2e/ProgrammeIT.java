package cn.xinqiao.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 28's programme view through the whole stack: a school's make-up campaign opened last semester is answered by
 * students now, next to the demo city's campaign of this semester; the bureau's trend shows both semesters, the
 * county ranking and the monthly bulletin (PDF, Chinese, charts) come back, and no student's identity is in any of them.
 */
class ProgrammeIT {

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    static final String SCHOOL = "S370811001";
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void up() throws Exception {
        Stack.get();
    }

    @Test
    void twoSemestersShowInTheTrendAndTheBulletinNamesNoStudent() throws Exception {
        String screening = Stack.url("screening-service");
        String reporting = Stack.url("reporting-service");
        String counselor = Stack.token("counselor.jn1");
        LocalDate today = LocalDate.now(CHINA);
        // the previous semester ends on 31 January or 31 August: the make-up campaign opened on its last day
        LocalDate lastOfPrevious = today.getMonthValue() >= 2 && today.getMonthValue() <= 8 ? LocalDate.of(today.getYear(), 1, 31)
                : LocalDate.of(today.getMonthValue() == 1 ? today.getYear() - 1 : today.getYear(), 8, 31);
        String previous = lastOfPrevious.getMonthValue() == 1 ? (lastOfPrevious.getYear() - 1) + "-autumn" : lastOfPrevious.getYear() + "-spring";
        OffsetDateTime opens = lastOfPrevious.atStartOfDay(CHINA).toOffsetDateTime();
        String campaign = given().auth().oauth2(counselor).contentType("application/json").body(Map.of("name", "上学期补测（趋势）",
                        "instruments", List.of("PHQ-A"), "schoolIds", List.of(SCHOOL), "grades", List.of(10),
                        "opensAt", opens.toString(), "closesAt", OffsetDateTime.now(CHINA).plusDays(7).toString()))
                .post(screening + "/api/campaigns").then().statusCode(201).extract().path("id");
        List<Map<String, Object>> slips = given().auth().oauth2(counselor)
                .get(screening + "/api/campaigns/" + campaign + "/access-codes?grade=10&className=1班").then().statusCode(200).extract().path("$");
        List<String> identities = new ArrayList<>();
        for (Map<String, Object> slip : slips.subList(0, 6)) {
            identities.add((String) slip.get("studentNumber"));
            identities.add((String) slip.get("name"));
            String born = Stack.birthDate(counselor, SCHOOL, (String) slip.get("studentNumber"));
            String token = given().contentType("application/json").body(Map.of("accessCode", slip.get("accessCode"), "birthDate", born))
                    .post(screening + "/api/student-sessions").then().statusCode(201).extract().path("token");
            given().auth().oauth2(token).contentType("application/json").body(Map.of("campaignId", campaign, "instrumentId", "PHQ-A",
                            "answers", new int[]{0, 1, 0, 0, 1, 0, 0, 0, 0}, "clientSubmissionId", UUID.randomUUID().toString()))
                    .post(screening + "/api/submissions").then().statusCode(201);
        }

        String analyst = Stack.token("analyst.city");
        JsonNode coverage = CareLoopIT.awaitValue(() -> {
            JsonNode trend = table(read(given().auth().oauth2(analyst).get(reporting + "/api/reports/trends?level=city&code=370800&metric=coverage")
                    .then().statusCode(200).extract().asString()), "trend-coverage");
            return screened(trend, previous) >= 6 ? trend : null;
        }, "the city's trend counts the make-up campaign's six students in " + previous);
        String current = coverage.path("rows").get(coverage.path("rows").size() - 1).path("code").asText();
        assertTrue(!current.equals(previous) && screened(coverage, current) > 100, "this semester's demo campaign is the last line: " + coverage);

        JsonNode ranking = read(given().auth().oauth2(analyst).get(reporting + "/api/reports/rankings?level=city&code=370800&metric=coverage")
                .then().statusCode(200).extract().asString());
        JsonNode rows = ranking.path("tables").get(0).path("rows");
        assertTrue(rows.size() >= 2 && rows.get(0).path("cells").get(0).path("value").asInt() == 1, "the counties ranked: " + rows);
        assertFalse(ranking.toString().contains(identities.get(0)), "no student in a ranking");

        YearMonth month = YearMonth.now(CHINA);
        byte[] pdf = given().auth().oauth2(analyst).get(reporting + "/api/reports/bulletin?level=city&code=370800&month=" + month)
                .then().statusCode(200).contentType("application/pdf").extract().asByteArray();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(doc);
            assertTrue(text.contains("济宁市中小学生心理健康工作通报") && text.contains("学期趋势") && text.contains("区县排名"), text);
            for (String identity : identities) {
                assertFalse(text.contains(identity), "the bulletin names no student");
            }
            BufferedImage page = new PDFRenderer(doc).renderImageWithDPI(0, 50);
            long inked = 0;
            for (int y = 0; y < page.getHeight(); y++) {
                for (int x = 0; x < page.getWidth(); x++) {
                    inked += (page.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF ? 1 : 0;
                }
            }
            assertTrue(inked > (long) page.getWidth() * page.getHeight() / 100, "the first page is drawn: " + inked + " pixels inked");
            System.out.printf("programme: trend %s → %s, bulletin %d pages, %d bytes, first page %d pixels inked%n", previous, current,
                    doc.getNumberOfPages(), pdf.length, inked);
        }
    }

    static long screened(JsonNode trend, String semester) {
        int c = 0;
        for (int i = 0; i < trend.path("columns").size(); i++) {
            if (trend.path("columns").get(i).path("id").asText().equals("screened")) {
                c = i;
            }
        }
        for (JsonNode row : trend.path("rows")) {
            if (row.path("code").asText().equals(semester)) {
                return row.path("cells").get(c).path("value").asLong(0);
            }
        }
        return 0;
    }

    static JsonNode table(JsonNode report, String id) {
        for (JsonNode t : report.path("tables")) {
            if (t.path("id").asText().equals(id)) {
                return t;
            }
        }
        throw new AssertionError("no table " + id);
    }

    static JsonNode read(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
