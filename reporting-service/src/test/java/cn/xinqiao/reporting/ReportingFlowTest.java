package cn.xinqiao.reporting;

import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A generated city data set over real Kafka into the read models; every report compared with the
 * hand-computed expectation; replays, suppression, tenancy, exports, and rebuild-by-replay.
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportingFlowTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CITY_ANALYST = TestTokens.analyst(CityData.CITY);
    static final String[] RISKS = CityData.RISKS;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EntityManager em;

    static CityData data;

    synchronized CityData data() {
        if (data == null) {
            data = new CityData(new KafkaProbe(bootstrap)).send();
            await(() -> processed(data.eventIds) == data.eventIds.size(), "every generated event processed");
        }
        return data;
    }

    JsonNode report(String token, String path) {
        return read(given().auth().oauth2(token).get(path).then().statusCode(200).extract().asString());
    }

    static JsonNode read(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode table(JsonNode report, String id) {
        for (JsonNode t : report.path("tables")) {
            if (t.path("id").asText().equals(id)) {
                return t;
            }
        }
        throw new AssertionError("no table " + id);
    }

    static JsonNode cell(JsonNode table, String rowCode, String column) {
        int c = -1;
        for (int i = 0; i < table.path("columns").size(); i++) {
            if (table.path("columns").get(i).path("id").asText().equals(column)) {
                c = i;
            }
        }
        JsonNode row = rowCode == null ? table.path("totals") : null;
        for (JsonNode r : table.path("rows")) {
            if (r.path("code").asText().equals(rowCode)) {
                row = r;
            }
        }
        if (row == null || c < 0) {
            throw new AssertionError("no cell " + rowCode + "/" + column + " in " + table.path("id"));
        }
        return row.path("cells").get(c);
    }

    /** A count as a reader sees it: the number itself, or hidden — and "<5" only ever for 1–4. */
    static void assertShown(long expected, JsonNode cell) {
        if (cell.path("suppressed").isTextual()) {
            assertTrue(cell.path("value").isNull(), "a hidden cell carries no number: " + cell);
            if (cell.path("suppressed").asText().equals("primary")) {
                assertTrue(expected >= 1 && expected <= 4, "only 1–4 is shown as <5, not " + expected);
            }
        } else {
            assertEquals(expected, count(cell));
        }
    }

    static long count(JsonNode cell) {
        assertTrue(cell.path("value").isNumber(), "visible: " + cell);
        return Math.round(cell.path("value").asDouble());
    }

    String screening(String level, String code) {
        return "/api/reports/screening?level=" + level + "&code=" + code + "&campaignId=" + data().campaign;
    }

    @Test
    @Order(1)
    void cityReportEqualsTheHandComputedAggregates() {
        CityData d = data();
        JsonNode report = report(CITY_ANALYST, screening("city", "370800"));
        assertEquals("济宁市", report.path("name").asText());
        JsonNode coverage = table(report, "coverage");
        JsonNode risk = table(report, "risk");
        JsonNode bands = table(report, "bands-PHQ-A");
        JsonNode modes = table(report, "modes");
        for (String county : List.of(CityData.COUNTY_A, CityData.COUNTY_B)) {
            List<String> schools = CityData.SCHOOLS.stream().filter(s -> CityData.county(s).equals(county)).toList();
            long enrolled = schools.stream().mapToLong(d.enrolled::get).sum();
            long screened = schools.stream().mapToLong(s -> Arrays.stream(d.studentsByRisk.get(s)).sum()).sum();
            long declined = schools.stream().mapToLong(d.notConsenting::get).sum();
            assertEquals(enrolled, count(cell(coverage, county, "enrolled")), "grades 7–8 only: grade 9 is not in the campaign");
            assertShown(declined, cell(coverage, county, "notConsenting"));
            assertShown(screened, cell(coverage, county, "screened"));
            if (!cell(coverage, county, "screened").path("suppressed").isTextual()) {
                // students whose guardians did not consent are not expected to answer: they leave the denominator
                assertEquals(100.0 * screened / (enrolled - declined), cell(coverage, county, "coverage").path("value").asDouble(), 1e-9);
            }
            for (int r = 0; r < 5; r++) {
                final int k = r;
                assertShown(schools.stream().mapToLong(s -> d.studentsByRisk.get(s)[k]).sum(), cell(risk, county, RISKS[r]));
            }
            for (int b = 0; b < 5; b++) {
                final int k = b;
                assertShown(schools.stream().mapToLong(s -> d.phqBands.get(s)[k]).sum(), cell(bands, county, CityData.PHQ_BANDS.get(b)));
            }
            assertShown(schools.stream().mapToLong(s -> d.modes.get(s)[1]).sum(), cell(modes, county, "PAPER"));
        }
        // 鱼台县 has a single school in the campaign: at city level its row is that school's data, so it is suppressed
        assertEquals("<5", cell(coverage, CityData.COUNTY_B, "screened").path("display").asText());
        for (String c : List.of("NONE", "LOW", "MODERATE", "HIGH", "CRITICAL", "total")) {
            assertTrue(!"primary".equals(cell(risk, CityData.COUNTY_A, c).path("suppressed").asText()),
                    "a county of two schools is not a small area (its cells are hidden only to protect 鱼台县's)");
        }
        long all = d.studentsByRisk.values().stream().flatMapToLong(Arrays::stream).sum();
        assertShown(all, cell(risk, null, "total"));
        assertEquals("county", risk.path("drillLevel").asText(), "a county row opens the county report");
    }

    @Test
    @Order(2)
    void schoolCellsUnderFiveAreSuppressedAndCannotBeDerived() {
        CityData d = data();
        JsonNode county = report(TestTokens.analyst(CityData.COUNTY_B), screening("county", CityData.COUNTY_B));
        JsonNode risk = table(county, "risk");
        long[] tiny = d.studentsByRisk.get("S370827001");
        for (int r = 0; r < 5; r++) {
            JsonNode c = cell(risk, "S370827001", RISKS[r]);
            if (tiny[r] >= 1 && tiny[r] <= 4) {
                assertEquals("<5", c.path("display").asText());
                assertTrue(c.path("value").isNull(), "the number itself is not in the answer");
            }
        }
        JsonNode screened = cell(table(county, "coverage"), "S370827001", "screened");
        assertEquals("<5", screened.path("display").asText(), "3 students at the tiny school");
        assertEquals("—", cell(table(county, "coverage"), "S370827001", "coverage").path("display").asText(),
                "and its coverage rate, which would give the count away");
        // one school in the county: the county totals are that school's numbers, so they are hidden too
        assertEquals("<5", cell(table(county, "coverage"), null, "screened").path("display").asText());

        int guarded = 0;
        for (String code : List.of(CityData.COUNTY_A, CityData.COUNTY_B)) {
            JsonNode t = table(report(TestTokens.analyst(code), screening("county", code)), "risk");
            for (JsonNode row : t.path("rows")) {
                String school = row.path("code").asText();
                boolean inputHidden = List.of("HIGH", "CRITICAL", "total").stream()
                        .anyMatch(c -> cell(t, school, c).path("suppressed").isTextual());
                if (inputHidden) {
                    guarded++;
                    assertEquals("—", cell(t, school, "high").path("display").asText(),
                            "the share of high/critical would give a hidden count away: " + school);
                }
            }
        }
        assertTrue(guarded > 0, "the tiny school's hidden total guards its percentage");

        JsonNode school = report(TestTokens.counselor("S370826001", CityData.COUNTY_A), screening("school", "S370826001"));
        for (JsonNode t : school.path("tables")) {
            for (JsonNode row : t.path("rows")) {
                for (JsonNode c : row.path("cells")) {
                    if (c.path("value").isNumber() && t.path("columns").get(0) != null) {
                        double v = c.path("value").asDouble();
                        boolean isCount = !c.path("display").asText().endsWith("%") && v == Math.rint(v);
                        assertFalse(isCount && v >= 1 && v <= 4 && !t.path("id").asText().equals("coverage"),
                                "no count 1–4 is visible at school level: " + t.path("id") + " " + row.path("code") + " " + c);
                    }
                }
            }
        }
    }

    @Test
    @Order(3)
    void aReplayedEventCountsOnceAndSoDoesTheSameResultUnderANewEventId() {
        CityData d = data();
        String before = report(CITY_ANALYST, screening("city", "370800")).path("tables").toString();
        KafkaProbe kafka = new KafkaProbe(bootstrap);
        kafka.sendCloudEvent("screening.results.v1", d.campaign.toString(), d.firstResultEvent, "cn.xinqiao.screening.result.v1", d.firstResult);
        UUID again = UUID.randomUUID();
        kafka.sendCloudEvent("screening.results.v1", d.campaign.toString(), again, "cn.xinqiao.screening.result.v1", d.firstResult);
        await(() -> processed(List.of(again)) == 1, "the redelivery under a new id is processed");
        assertEquals(before, report(CITY_ANALYST, screening("city", "370800")).path("tables").toString());
        assertEquals(1L, ((Number) em.createNativeQuery("select count(*) from inbox where event_id = ?1")
                .setParameter(1, d.firstResultEvent).getSingleResult()).longValue());
    }

    @Test
    @Order(4)
    void aConflictReviewThatReplacesAResultMovesTheStudentsNumbers() throws Exception {
        CityData d = data();
        JsonNode first = JSON.readTree(d.firstResult);
        String instrument = first.path("instrumentId").asText();
        String school = first.path("schoolId").asText();
        String oldBand = first.path("band").asText();
        String newBand = oldBand.equals("severe") ? "mild" : "severe";
        int before = d.firstStudentRisks.values().stream().max(Integer::compare).orElseThrow();
        long oldBandCount = results(school, instrument, oldBand);
        long newBandCount = results(school, instrument, newBand);
        long critical = students(school, 4);
        long previousLevel = students(school, before);
        long total = students(school, -1);

        // the paper form, keyed in later, is the right one: same student, band and risk different
        UUID replacement = UUID.randomUUID();
        String json = d.firstResult.replaceFirst("\"resultId\":\"[^\"]+\"", "\"resultId\":\"" + replacement + "\"")
                .replace("\"band\":\"" + oldBand + "\"", "\"band\":\"" + newBand + "\"")
                .replaceFirst("\"riskLevel\":\"[A-Z]+\"", "\"riskLevel\":\"CRITICAL\"")
                .replace("\"mode\":\"ONLINE\"", "\"mode\":\"PAPER\"")
                .replaceFirst("\\}\\s*$", ",\"supersedes\":\"" + first.path("resultId").asText() + "\"}");
        UUID event = UUID.randomUUID();
        new KafkaProbe(bootstrap).sendCloudEvent("screening.results.v1", d.campaign.toString(), event, "cn.xinqiao.screening.result.v1", json);
        await(() -> processed(List.of(event)) == 1, "the replacement is processed");

        assertEquals(oldBandCount - 1, results(school, instrument, oldBand), "the replaced result no longer counts");
        assertEquals(newBandCount + 1, results(school, instrument, newBand));
        assertEquals(total, students(school, -1), "still one student");
        if (before < 4) {
            assertEquals(critical + 1, students(school, 4), "the student's campaign risk is now critical");
            assertEquals(previousLevel - 1, students(school, before));
        } else {
            assertEquals(critical, students(school, 4));
        }
    }

    private long results(String school, String instrument, String band) {
        return ((Number) em.createNativeQuery("""
                        select coalesce(sum(results), 0) from result_agg where campaign_id = ?1 and school_id = ?2
                        and instrument_id = ?3 and band = ?4""").setParameter(1, data.campaign).setParameter(2, school)
                .setParameter(3, instrument).setParameter(4, band).getSingleResult()).longValue();
    }

    /** Students of a school at a campaign risk rank (-1: all). */
    private long students(String school, int rank) {
        return ((Number) em.createNativeQuery("""
                        select coalesce(sum(students), 0) from student_agg where campaign_id = ?1 and school_id = ?2
                        and (?3 < 0 or risk_rank = ?3)""").setParameter(1, data.campaign).setParameter(2, school)
                .setParameter(3, rank).getSingleResult()).longValue();
    }

    @Test
    @Order(5)
    void referralTimelinessIsTheMedianAndNinetiethPercentileOfTheHandComputedHours() {
        CityData d = data();
        JsonNode report = report(CITY_ANALYST, "/api/reports/referrals?level=city&code=370800&from="
                + java.time.LocalDate.now().minusDays(30) + "&to=" + java.time.LocalDate.now());
        JsonNode byArea = table(report, "by-area");
        for (String county : List.of(CityData.COUNTY_A, CityData.COUNTY_B)) {
            assertEquals(d.referralsRequested.get(county), count(cell(byArea, county, "requested")));
            assertEquals(d.acceptHours.get(county).size(), count(cell(byArea, county, "accepted")));
            assertEquals(CityData.percentile(d.acceptHours.get(county), 0.5), cell(byArea, county, "acceptP50").path("value").asDouble(), 1e-6);
            assertEquals(CityData.percentile(d.acceptHours.get(county), 0.9), cell(byArea, county, "acceptP90").path("value").asDouble(), 1e-6);
        }
        JsonNode escalations = table(report, "escalations");
        assertEquals(2, count(cell(escalations, null, "BUREAU_ALERT")), "referrals 6 and 13 were escalated to the bureau");
        // seen came before accepted on the wire: first visit is still after acceptance
        assertEquals(d.acceptHours.values().stream().mapToLong(List::size).sum(), count(cell(table(report, "by-hospital"), "H370800001", "seen")));
        JsonNode hospital = table(report, "by-hospital").path("rows").get(0);
        assertEquals("报告测试精神卫生中心", hospital.path("name").asText(), "hospitals by name, from directory.hospitals.v1");
    }

    @Test
    @Order(6)
    void hotlineVolumeByHourOfChinaTime() {
        CityData d = data();
        JsonNode report = report(CITY_ANALYST, "/api/reports/hotline?level=city&code=370800&from="
                + java.time.LocalDate.now().minusDays(30) + "&to=" + java.time.LocalDate.now());
        JsonNode byHour = table(report, "by-hour");
        int hidden = 0;
        for (int h = 0; h < 24; h++) {
            JsonNode total = cell(byHour, String.valueOf(h), "total");
            if (d.callsByHour[h] >= 1 && d.callsByHour[h] <= 4) {
                // crisis calls are sensitive at city level too: a small count never shows
                assertEquals("<5", total.path("display").asText(), "hour " + h + ": " + total);
                assertTrue(total.path("value").isNull(), "hour " + h);
                hidden++;
            } else if (!total.path("suppressed").isNull() && !total.path("suppressed").isMissingNode()) {
                assertEquals("*", total.path("display").asText(), "a complement, hidden so the small one cannot be worked out");
            } else {
                assertEquals(d.callsByHour[h], count(total), "hour " + h);
            }
        }
        assertTrue(hidden > 0, "the test city has hours with 1–4 calls");
        assertEquals(20, count(cell(table(report, "summary"), null, "calls")));
        // a day is too short a period: one crisis call at 23:00 in a county would point at its caller
        given().auth().oauth2(CITY_ANALYST).get("/api/reports/hotline?level=city&code=370800&from=" + java.time.LocalDate.now()
                + "&to=" + java.time.LocalDate.now()).then().statusCode(400).body("type", org.hamcrest.Matchers.endsWith("period-too-short"));
    }

    @Test
    @Order(7)
    void analystsSeeOnlyTheirAreaAndSchoolsOnlyThemselves() {
        data();
        given().auth().oauth2(TestTokens.analyst(CityData.COUNTY_B)).get(screening("county", CityData.COUNTY_A))
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.analyst(CityData.COUNTY_B)).get(screening("city", "370800")).then().statusCode(403);
        given().auth().oauth2(TestTokens.analyst(CityData.COUNTY_B)).get("/api/reports/referrals?level=school&code=S370826001")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.counselor("S370826002", CityData.COUNTY_A)).get(screening("school", "S370826001"))
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.counselor("S370826002", CityData.COUNTY_A)).get(screening("county", CityData.COUNTY_A))
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.clinician("H370800001")).get(screening("city", "370800")).then().statusCode(403);
        given().get(screening("city", "370800")).then().statusCode(401);
        given().auth().oauth2(CITY_ANALYST).get("/api/reports/screening?level=city&code=370800&campaignId=nope")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(CITY_ANALYST).get("/api/reports/screening?level=city&code=370800&campaignId=" + UUID.randomUUID())
                .then().statusCode(404);
        given().auth().oauth2(CITY_ANALYST).get("/api/reports/hotline?level=city&code=370800&from=yesterday")
                .then().statusCode(400);
    }

    @Test
    @Order(8)
    void exportsCarryTheSameSuppressedTableWithChineseHeaders() throws Exception {
        data();
        String base = "/api/reports/screening/export?level=county&code=" + CityData.COUNTY_B + "&campaignId=" + data.campaign;
        String analyst = TestTokens.analyst(CityData.COUNTY_B);
        byte[] csv = given().auth().oauth2(analyst).get(base + "&format=csv").then().statusCode(200)
                .header("Content-Disposition", containsString("attachment")).extract().asByteArray();
        String text = new String(csv, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\uFEFF"), "BOM for Excel");
        assertTrue(text.contains("筛查覆盖率") && text.contains("在册学生") && text.contains("<5"), text);

        byte[] xlsx = given().auth().oauth2(analyst).get(base + "&format=xlsx").then().statusCode(200).extract().asByteArray();
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
            var sheet = wb.getSheet("筛查覆盖率");
            assertEquals("在册学生", sheet.getRow(1).getCell(2).getStringCellValue());
            assertEquals("未同意", sheet.getRow(1).getCell(3).getStringCellValue(), "students whose guardians did not consent, apart");
            assertEquals("<5", sheet.getRow(2).getCell(4).getStringCellValue(), "the tiny school's screened count");
        }

        byte[] pdf = given().auth().oauth2(analyst).get(base + "&format=pdf").then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray();
        try (var doc = Loader.loadPDF(pdf)) {
            String extracted = new PDFTextStripper().getText(doc);
            assertTrue(extracted.contains("筛查覆盖率") && extracted.contains("<5"), extracted);
        }
        given().auth().oauth2(TestTokens.analyst(CityData.COUNTY_A)).get(base + "&format=csv").then().statusCode(403);
        given().auth().oauth2(analyst).get(base + "&format=docx").then().statusCode(400);
        String supervisor = TestTokens.as("supervisor-1", "hotline-supervisor").district(CityData.CITY).token();
        given().auth().oauth2(supervisor).get(base + "&format=csv").then().statusCode(403);
        given().auth().oauth2(supervisor).get(screening("city", "370800")).then().statusCode(403);
        given().auth().oauth2(supervisor).get("/api/reports/hotline/export?format=csv&level=city&code=370800").then().statusCode(200);
    }

    @Test
    @Order(20)
    void rebuildByReplayEqualsTheIncrementalReadModelsAndRepairsDrift() {
        data();
        String admin = TestTokens.as("admin", "platform-admin").district("370800").token();
        String before = report(CITY_ANALYST, screening("city", "370800")).path("tables").toString();
        String referralsBefore = report(CITY_ANALYST, "/api/reports/referrals?level=city&code=370800").path("tables").toString();
        // the trends and rankings are read from the same models: the replay reproduces them exactly
        String trendsBefore = report(CITY_ANALYST, "/api/reports/trends?level=city&code=370800").path("tables").toString();
        String rankingsBefore = report(CITY_ANALYST, "/api/reports/rankings?level=city&code=370800").path("tables").toString();
        assertTrue(trendsBefore.contains("\"screened\"") && rankingsBefore.contains(CityData.COUNTY_A), rankingsBefore);

        JsonNode first = rebuild(admin);
        first.path("differences").fields().forEachRemaining(e -> assertEquals(0, e.getValue().asLong(),
                "rebuild differs from the incremental read model in " + e.getKey()));
        assertTrue(first.path("eventsRead").asLong() >= data.eventIds.size(), first.toString());
        assertEquals(first.path("eventsTotal").asLong(), first.path("eventsRead").asLong(), "progress reaches its total");
        assertEquals(before, report(CITY_ANALYST, screening("city", "370800")).path("tables").toString());
        assertEquals(referralsBefore, report(CITY_ANALYST, "/api/reports/referrals?level=city&code=370800").path("tables").toString());
        assertEquals(trendsBefore, report(CITY_ANALYST, "/api/reports/trends?level=city&code=370800").path("tables").toString());
        assertEquals(rankingsBefore, report(CITY_ANALYST, "/api/reports/rankings?level=city&code=370800").path("tables").toString());

        // drift (a lost update, a bad hand edit): the next rebuild finds it and puts it right
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update student_agg set students = students + 100 where campaign_id = ?1 and district_code = ?2")
                .setParameter(1, data.campaign).setParameter(2, CityData.COUNTY_A).executeUpdate());
        JsonNode second = rebuild(admin);
        assertTrue(second.path("differences").path("student_agg").asLong() > 0, second.toString());
        assertEquals(before, report(CITY_ANALYST, screening("city", "370800")).path("tables").toString());

        given().auth().oauth2(CITY_ANALYST).post("/api/reports/rebuilds").then().statusCode(403);

        // the live channels run again after a rebuild (paused, moved past the replayed offsets, resumed)
        long students = count(cell(table(report(CITY_ANALYST, screening("city", "370800")), "risk"), null, "total"));
        UUID next = UUID.randomUUID();
        new KafkaProbe(bootstrap).sendCloudEvent("screening.results.v1", data.campaign.toString(), next, "cn.xinqiao.screening.result.v1",
                data.firstResult.replaceFirst("\"resultId\":\"[^\"]+\"", "\"resultId\":\"" + UUID.randomUUID() + "\"")
                        .replaceFirst("\"studentKey\":\"[^\"]+\"", "\"studentKey\":\"after-rebuild\""));
        await(() -> processed(List.of(next)) == 1, "a new event after the rebuild is processed live");
        assertEquals(students + 1, count(cell(table(report(CITY_ANALYST, screening("city", "370800")), "risk"), null, "total")));
    }

    @Test
    @Order(21)
    void anErasedStudentsRowsGoTheAggregatesStayAndARebuildLeavesThemOut() {
        data();
        String key;
        try {
            key = JSON.readTree(data.firstResult).path("studentKey").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        byte[] hash = cn.xinqiao.reporting.screening.StudentHash.of(key);
        java.util.function.LongSupplier rows = () -> ((Number) em.createNativeQuery(
                "select (select count(*) from screening_result where student_hash = ?1) + (select count(*) from screened_student where student_hash = ?1)")
                .setParameter(1, hash).getSingleResult()).longValue();
        assertTrue(rows.getAsLong() > 0, "the student is held row by row before the erasure");
        String before = report(CITY_ANALYST, screening("city", "370800")).path("tables").toString();

        UUID erasure = UUID.randomUUID();
        new KafkaProbe(bootstrap).sendCloudEvent("screening.erasures.v1", key, erasure, "cn.xinqiao.screening.erasure.v1",
                "{\"erasureId\":\"" + erasure + "\",\"studentKey\":\"" + key + "\",\"schoolId\":\"" + CityData.SCHOOLS.get(0)
                        + "\",\"districtCode\":\"" + CityData.COUNTY_A + "\",\"requestedAt\":\"2026-11-20T09:00:00Z\",\"erasedAt\":\""
                        + java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC) + "\"}");
        await(() -> processed(List.of(erasure)) == 1, "the erasure is applied");
        assertEquals(0, rows.getAsLong(), "no row holds the student one by one");
        assertEquals(before, report(CITY_ANALYST, screening("city", "370800")).path("tables").toString(), "the counts stay as counted");

        JsonNode rebuilt = rebuild(TestTokens.as("admin", "platform-admin").district("370800").token());
        rebuilt.path("differences").fields().forEachRemaining(e -> assertEquals(0, e.getValue().asLong(),
                "the rebuild differs after an erasure in " + e.getKey()));
        assertEquals(0, rows.getAsLong(), "the replay does not bring the erased student back");
        assertEquals(before, report(CITY_ANALYST, screening("city", "370800")).path("tables").toString());
    }

    private JsonNode rebuild(String admin) {
        String id = given().auth().oauth2(admin).post("/api/reports/rebuilds").then().statusCode(202).extract().path("id");
        JsonNode[] run = new JsonNode[1];
        await(() -> {
            run[0] = report(admin, "/api/reports/rebuilds/" + id);
            return !run[0].path("state").asText().equals("RUNNING");
        }, "rebuild finishes");
        assertEquals("DONE", run[0].path("state").asText(), run[0].toString());
        return run[0];
    }

    private long processed(List<UUID> ids) {
        return ((Number) em.createNativeQuery("select count(*) from inbox where event_id = any (cast(?1 as uuid[]))")
                .setParameter(1, ids.stream().map(UUID::toString).toArray(String[]::new)).getSingleResult()).longValue();
    }

    /** Waits until every one of these events is in the inbox: processed by the live consumers. */
    static void awaitProcessed(EntityManager em, List<UUID> ids, String what) {
        await(() -> ((Number) em.createNativeQuery("select count(*) from inbox where event_id = any (cast(?1 as uuid[]))")
                .setParameter(1, ids.stream().map(UUID::toString).toArray(String[]::new)).getSingleResult()).longValue() == ids.size(), what);
    }

    static void await(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not met in 60 s: " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
