package cn.xinqiao.reporting;

import cn.xinqiao.reporting.domain.Semester;
import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static cn.xinqiao.reporting.ReportingFlowTest.cell;
import static cn.xinqiao.reporting.ReportingFlowTest.table;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trends, rankings and the bulletin over a city of their own: two campaigns in two semesters (the previous and the
 * current one), referrals, calls and activities in both, every expected figure worked out by hand below.
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class ProgrammeTest {

    static final String CITY = "371100";
    static final String NORTH = "371102";
    static final String SOUTH = "371121";
    static final String BIG = "S371102001";    // 46 enrolled in grade 7, 6 without consent: 40 expected
    static final String SMALL = "S371102002";  // 10 enrolled
    static final String ALONE = "S371121001";  // 50 enrolled, the only school of its county
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    static final LocalDate TODAY = LocalDate.now(CHINA);
    static final Semester NOW = Semester.containing(TODAY);
    static final Semester BEFORE = NOW.autumn() ? new Semester(NOW.year(), false) : new Semester(NOW.year() - 1, true);
    static final String ANALYST = TestTokens.analyst(CITY);

    /** Students screened per school: in the previous semester's campaign, then in this one's. */
    static final Map<String, int[]> SCREENED = Map.of(BIG, new int[]{30, 36}, SMALL, new int[]{3, 8}, ALONE, new int[]{20, 25});

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EntityManager em;

    static boolean seeded;
    static final List<UUID> campaigns = new ArrayList<>();

    synchronized void seed() {
        if (seeded) {
            return;
        }
        KafkaProbe kafka = new KafkaProbe(bootstrap);
        List<UUID> ids = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Map<String, int[]> enrolment = Map.of(BIG, new int[]{46, 6}, SMALL, new int[]{10, 0}, ALONE, new int[]{50, 0});
        Map<String, String> names = Map.of(BIG, "趋势测试北一中", SMALL, "趋势测试北二中", ALONE, "趋势测试南中");
        for (String school : List.of(BIG, SMALL, ALONE)) {
            ids.add(send(kafka, "directory.schools.v1", school, "cn.xinqiao.directory.school.v1", """
                    {"schoolId":"%s","name":"%s","districtCode":"%s","cityCode":"%s",
                     "enrolment":[{"grade":7,"sex":"FEMALE","count":%d,"notConsenting":%d}],"total":%d,"updatedAt":"%s"}"""
                    .formatted(school, names.get(school), school.substring(1, 7), CITY, enrolment.get(school)[0], enrolment.get(school)[1],
                            enrolment.get(school)[0], now.minusDays(400))));
        }
        List<OffsetDateTime> opens = List.of(BEFORE.first().plusDays(20).atStartOfDay(CHINA).toOffsetDateTime(),
                NOW.first().plusDays(2).atStartOfDay(CHINA).toOffsetDateTime());
        for (int c = 0; c < 2; c++) {
            UUID campaign = UUID.randomUUID();
            campaigns.add(campaign);
            ids.add(send(kafka, "directory.campaigns.v1", campaign.toString(), "cn.xinqiao.directory.campaign.v1", """
                    {"campaignId":"%s","name":"趋势测试筛查%d","ownerArea":"%s","instruments":["PHQ-A"],"grades":[7],
                     "schoolIds":["%s","%s","%s"],"opensAt":"%s","closesAt":"%s","updatedAt":"%s"}""".formatted(campaign, c, CITY,
                    BIG, SMALL, ALONE, opens.get(c), opens.get(c).plusDays(20), opens.get(c).minusDays(1))));
            for (var e : SCREENED.entrySet()) {
                for (int i = 0; i < e.getValue()[c]; i++) {
                    ids.add(send(kafka, "screening.results.v1", campaign.toString(), "cn.xinqiao.screening.result.v1", """
                            {"resultId":"%s","campaignId":"%s","studentKey":"t-%s-%d","schoolId":"%s","districtCode":"%s","grade":7,
                             "sex":"FEMALE","instrumentId":"PHQ-A","instrumentVersion":"1","mode":"ONLINE","totalScore":%d,"band":"mild",
                             "criticalItem":false,"riskLevel":"%s","rule":"test","policyVersion":"1","submittedAt":"%s"}"""
                            .formatted(UUID.randomUUID(), campaign, e.getKey(), i, e.getKey(), e.getKey().substring(1, 7), i % 20,
                                    i % 10 == 0 ? "HIGH" : "LOW", opens.get(c).plusHours(1 + i))));
                }
            }
        }
        // referrals: two accepted in the previous semester; one escalated to the bureau this month
        OffsetDateTime before = BEFORE.first().plusDays(30).atStartOfDay(CHINA).toOffsetDateTime();
        OffsetDateTime thisMonth = YearMonth.from(TODAY).atDay(1).atStartOfDay(CHINA).toOffsetDateTime().plusMinutes(1);
        for (int i = 0; i < 2; i++) {
            UUID r = UUID.randomUUID();
            ids.add(send(kafka, "referral.status.v1", r.toString(), "cn.xinqiao.referral.status.v1",
                    referral(r, BIG, "accepted", "accepted", before, before.plusHours(2 + 2L * i), null)));
        }
        UUID late = UUID.randomUUID();
        ids.add(send(kafka, "referral.status.v1", late.toString(), "cn.xinqiao.referral.status.v1",
                referral(late, ALONE, "requested", "escalated", thisMonth, thisMonth.plusMinutes(1), "BUREAU_ALERT")));
        // calls: three in the previous semester (shown as <5), eight in this one
        for (int i = 0; i < 11; i++) {
            OffsetDateTime start = (i < 3 ? before : NOW.first().atStartOfDay(CHINA).toOffsetDateTime()).plusMinutes(30L * i);
            ids.add(send(kafka, "hotline.calls.v1", UUID.randomUUID().toString(), "cn.xinqiao.hotline.call.v1", """
                    {"callId":"%s","startedAt":"%s","endedAt":"%s","durationSeconds":300,"channel":"PHONE","callerType":"PARENT",
                     "districtCode":"%s","categories":["family"],"riskLevel":"LOW","actions":["COUNSELLING"],"repeatCaller":false,
                     "escalated":false}""".formatted(UUID.randomUUID(), start, start.plusMinutes(5), NORTH)));
        }
        ReportingFlowTest.awaitProcessed(em, ids, "the programme's events processed");
        // the big school does its mandated activities this semester (one lecture, four group sessions); the others none
        String counsellor = TestTokens.counselor(BIG, NORTH);
        for (String kind : List.of("LECTURE", "GROUP_COUNSELLING", "GROUP_COUNSELLING", "GROUP_COUNSELLING", "GROUP_COUNSELLING")) {
            given().auth().oauth2(counsellor).contentType("application/json").body(Map.of("kind", kind, "schoolId", BIG,
                    "heldOn", NOW.first().toString(), "title", "趋势测试活动", "participants", 40)).post("/api/activities").then().statusCode(201);
        }
        seeded = true;
    }

    static String referral(UUID id, String school, String status, String business, OffsetDateTime requested, OffsetDateTime at,
                           String escalation) {
        return """
                {"referralId":"%s","studentKey":"t-ref-%s","schoolId":"%s","districtCode":"%s","hospitalId":"H371100001",
                 "riskLevel":"HIGH","status":"%s","businessStatus":"%s",%s"requestedAt":"%s","occurredAt":"%s"%s}"""
                .formatted(id, id, school, school.substring(1, 7), status, business,
                        escalation == null ? "" : "\"escalation\":\"" + escalation + "\",", requested, at, "");
    }

    static UUID send(KafkaProbe kafka, String topic, String key, String type, String data) {
        UUID id = UUID.randomUUID();
        kafka.sendCloudEvent(topic, key, id, type, data);
        return id;
    }

    JsonNode get(String token, String path) {
        return ReportingFlowTest.read(given().auth().oauth2(token).get(path).then().statusCode(200).extract().asString());
    }

    static JsonNode row(JsonNode table, String code) {
        for (JsonNode r : table.path("rows")) {
            if (r.path("code").asText().equals(code)) {
                return r;
            }
        }
        throw new AssertionError("no row " + code + " in " + table.path("id"));
    }

    static double percent(JsonNode table, String row, String column) {
        JsonNode c = cell(table, row, column);
        assertTrue(c.path("value").isNumber(), "visible: " + c);
        return c.path("value").asDouble();
    }

    @Test
    void theTrendShowsBothSemestersAsTheReportsShowThem() {
        seed();
        JsonNode trends = get(ANALYST, "/api/reports/trends?level=city&code=" + CITY);
        JsonNode coverage = table(trends, "trend-coverage");
        assertEquals(BEFORE.id(), coverage.path("rows").get(0).path("code").asText(), "the trend starts with the first semester with data");
        assertEquals(NOW.id(), coverage.path("rows").get(coverage.path("rows").size() - 1).path("code").asText());
        // previous: 30 + 3 + 20 = 53 of 106 − 6; now: 36 + 8 + 25 = 69 of 100
        assertEquals(53, Math.round(cell(coverage, BEFORE.id(), "screened").path("value").asDouble()));
        assertEquals(53.0, percent(coverage, BEFORE.id(), "coverage"), 1e-9);
        assertEquals(69.0, percent(coverage, NOW.id(), "coverage"), 1e-9);
        // risk: the semester's line is the campaign report's totals, cell for cell — the south's 2 high-risk students are
        // "<5" in its county row, and the city's high-risk total is hidden with them
        JsonNode risk = table(trends, "trend-risk");
        JsonNode report = table(get(ANALYST, "/api/reports/screening?level=city&code=" + CITY + "&campaignId=" + campaigns.get(0)), "risk");
        for (String column : List.of("NONE", "LOW", "MODERATE", "HIGH", "CRITICAL", "total", "high")) {
            assertEquals(cell(report, null, column), cell(risk, BEFORE.id(), column), column);
        }
        assertEquals(53, Math.round(cell(risk, BEFORE.id(), "total").path("value").asDouble()));
        assertEquals("secondary", cell(risk, BEFORE.id(), "HIGH").path("suppressed").asText());
        JsonNode referrals = table(trends, "trend-referral-timeliness");
        assertEquals(2, Math.round(cell(referrals, BEFORE.id(), "requested").path("value").asDouble()));
        assertEquals(1, Math.round(cell(referrals, NOW.id(), "requested").path("value").asDouble()));
        // hotline counts are hidden under 5 at every level: three calls are "<5", eight are shown
        JsonNode calls = table(trends, "trend-hotline");
        assertEquals("primary", cell(calls, BEFORE.id(), "calls").path("suppressed").asText());
        assertEquals(8, Math.round(cell(calls, NOW.id(), "calls").path("value").asDouble()));
        JsonNode activities = table(trends, "trend-activities");
        assertEquals(100.0 / 3, percent(activities, NOW.id(), "rate"), 1e-9);
        assertEquals(0.0, percent(activities, BEFORE.id(), "rate"), 1e-9);

        // a school's own trend: its counsellor sees it, hotline figures are not theirs
        JsonNode own = get(TestTokens.counselor(BIG, NORTH), "/api/reports/trends?level=school&code=" + BIG);
        assertEquals(100.0 * 36 / 40, percent(table(own, "trend-coverage"), NOW.id(), "coverage"), 1e-9);
        assertFalse(own.path("tables").toString().contains("trend-hotline"));
        given().auth().oauth2(TestTokens.counselor(BIG, NORTH)).get("/api/reports/trends?level=school&code=" + BIG + "&metric=hotline")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.counselor(BIG, NORTH)).get("/api/reports/trends?level=school&code=" + SMALL).then().statusCode(403);
    }

    @Test
    void rankingsPutTheLaggardsFirstAndLeaveHiddenValuesUnranked() {
        seed();
        JsonNode counties = get(ANALYST, "/api/reports/rankings?level=city&code=" + CITY + "&period=" + NOW.id());
        JsonNode coverage = table(counties, "ranking-coverage");
        // south 25 / 50 = 50 %, north (36 + 8) / (56 − 6) = 88 %: the south first
        assertEquals(SOUTH, coverage.path("rows").get(0).path("code").asText());
        assertEquals(1, cell(coverage, SOUTH, "rank").path("value").asInt());
        assertEquals(2, cell(coverage, NORTH, "rank").path("value").asInt());
        assertEquals(88.0, percent(coverage, NORTH, "coverage"), 1e-9);
        assertTrue(coverage.path("title").asText().contains("由低到高"), "the rule is written next to the table");
        JsonNode activities = table(counties, "ranking-activities");
        assertEquals(SOUTH, activities.path("rows").get(0).path("code").asText(), "no compliant school in the south");
        assertEquals(50.0, percent(activities, NORTH, "rate"), 1e-9);

        // the schools of the north: this semester 8 / 10 = 80 % before 36 / 40 = 90 %
        JsonNode schools = table(get(ANALYST, "/api/reports/rankings?level=county&code=" + NORTH + "&metric=coverage&period=" + NOW.id()),
                "ranking-coverage");
        assertEquals(List.of(SMALL, BIG), List.of(schools.path("rows").get(0).path("code").asText(), schools.path("rows").get(1).path("code").asText()));
        // the previous semester: 3 screened is "<5", and hiding it hides its partner in the county's sum: neither ranked
        JsonNode earlier = table(get(ANALYST, "/api/reports/rankings?level=county&code=" + NORTH + "&metric=coverage&period=" + BEFORE.id()),
                "ranking-coverage");
        assertEquals("—", cell(earlier, SMALL, "rank").path("display").asText());
        assertEquals("—", cell(earlier, BIG, "rank").path("display").asText());
        assertTrue(cell(earlier, SMALL, "coverage").path("value").isNull());

        given().auth().oauth2(ANALYST).get("/api/reports/rankings?level=city&code=" + CITY + "&metric=speed").then().statusCode(400)
                .body("type", equalTo("https://xinqiao.cn/problems/bad-metric"));
        given().auth().oauth2(ANALYST).get("/api/reports/rankings?level=city&code=" + CITY + "&period=2026-13").then().statusCode(400);
        given().auth().oauth2(ANALYST).get("/api/reports/rankings?level=school&code=" + BIG).then().statusCode(400);
        given().auth().oauth2(TestTokens.analyst("370800")).get("/api/reports/rankings?level=city&code=" + CITY).then().statusCode(403);
        given().auth().oauth2(TestTokens.counselor(BIG, NORTH)).get("/api/reports/rankings?level=county&code=" + NORTH).then().statusCode(403);
    }

    @Test
    void theBulletinRendersInChineseWithChartsAndNoStudent() throws Exception {
        seed();
        YearMonth month = YearMonth.from(TODAY);
        byte[] pdf = given().auth().oauth2(ANALYST).get("/api/reports/bulletin?level=city&code=" + CITY + "&month=" + month)
                .then().statusCode(200).contentType("application/pdf").extract().asByteArray();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(doc);
            assertTrue(text.contains("中小学生心理健康工作通报"), text);
            assertTrue(text.contains("筛查覆盖率") && text.contains("排名") && text.contains("学期趋势"), text);
            // behind on coverage: the south's school (50 %) and the small school (80 %); the big one meets 90 %
            String behind = text.substring(text.indexOf("四、需要关注的学校"));
            assertTrue(behind.contains("趋势测试南中") && behind.contains("趋势测试北二中"), behind);
            assertFalse(behind.substring(0, behind.indexOf("本月有升级转介")).contains("趋势测试北一中"), behind);
            // the escalated referral: one, at a school, so "<5"
            assertTrue(behind.substring(behind.indexOf("本月有升级转介")).contains("<5"), behind);
            assertFalse(text.contains("t-" + BIG) || text.contains("t-ref-"), "no student key in the bulletin");
            BufferedImage page = new PDFRenderer(doc).renderImageWithDPI(0, 60);
            long inked = 0;
            long teal = 0;
            for (int y = 0; y < page.getHeight(); y++) {
                for (int x = 0; x < page.getWidth(); x++) {
                    int rgb = page.getRGB(x, y) & 0xFFFFFF;
                    inked += rgb != 0xFFFFFF ? 1 : 0;
                    int r = rgb >> 16, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
                    teal += g > 120 && r < 60 && b > 100 ? 1 : 0;
                }
            }
            long area = (long) page.getWidth() * page.getHeight();
            assertTrue(inked > area / 100, "the first page is not blank: " + inked + " of " + area + " pixels inked");
            assertTrue(teal > 200, "the first page carries the trend chart's bars: " + teal + " teal pixels");
        }
        given().auth().oauth2(ANALYST).get("/api/reports/bulletin?level=city&code=" + CITY + "&month=" + month.plusMonths(1))
                .then().statusCode(400);
        given().auth().oauth2(ANALYST).get("/api/reports/bulletin?level=city&code=" + CITY + "&month=11-2026").then().statusCode(400)
                .body("type", equalTo("https://xinqiao.cn/problems/bad-month"));
        given().auth().oauth2(TestTokens.counselor(BIG, NORTH)).get("/api/reports/bulletin?level=county&code=" + NORTH).then().statusCode(403);
        // the trend is exported with its chart too
        byte[] export = given().auth().oauth2(ANALYST).get("/api/reports/trends/export?format=pdf&metric=coverage&level=city&code=" + CITY)
                .then().statusCode(200).extract().asByteArray();
        try (PDDocument doc = Loader.loadPDF(export)) {
            assertTrue(new PDFTextStripper().getText(doc).contains(BEFORE.label()));
        }
    }
}
