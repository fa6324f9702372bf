package cn.xinqiao.screening;

import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Instruments as versions: an invalid definition is refused with problems naming the fields; a new version uploaded
 * and published by the platform admin is used by a new campaign while the open one keeps the old; the parent-report
 * PSC-17 for grades 1–4 is answered by a guardian with the child's access code and scored by its own bands and risks.
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class InstrumentVersionsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SCHOOL = "S370811309";
    static final String COUNSELOR = TestTokens.counselor(SCHOOL, "370811");
    static final String ADMIN = TestTokens.as("admin", "platform-admin").district("370800").token();
    static final String CHILD_BORN = LocalDate.now().minusYears(8).withDayOfYear(40).toString();
    static final String TEEN_BORN = "2011-05-06";

    @Inject
    EntityManager em;

    ObjectNode builtIn(String id) throws Exception {
        return (ObjectNode) JSON.readTree(given().get("/api/instruments/" + id).then().statusCode(200).extract().asString());
    }

    String campaign(String instrument, int grade) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return given().auth().oauth2(COUNSELOR).contentType("application/json").body(Map.of("name", "量表版本测试 " + UUID.randomUUID(),
                        "instruments", List.of(instrument), "schoolIds", List.of(SCHOOL), "grades", List.of(grade),
                        "opensAt", now.minusHours(1).toString(), "closesAt", now.plusDays(7).toString()))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
    }

    String answer(String campaign, String number, String born, String instrument, int[] answers) {
        String code = given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + campaign + "/access-codes").then().statusCode(200)
                .extract().path("find { it.studentNumber == '" + number + "' }.accessCode");
        String token = given().contentType("application/json").header("X-Forwarded-For", "198.51.100.91")
                .body(Map.of("accessCode", code, "birthDate", born)).post("/api/student-sessions").then().statusCode(201)
                .body("instrumentVersions.'" + instrument + "'", org.hamcrest.Matchers.notNullValue()).extract().path("token");
        return given().auth().oauth2(token).contentType("application/json").body(Map.of("campaignId", campaign, "instrumentId", instrument,
                "answers", answers, "clientSubmissionId", UUID.randomUUID().toString())).post("/api/submissions").then().statusCode(201)
                .extract().path("submissionId");
    }

    Object[] stored(String submission) {
        return (Object[]) em.createNativeQuery("select instrument_version, risk_level from submission where id = cast(?1 as uuid)")
                .setParameter(1, submission).getSingleResult();
    }

    @Test
    void aNewVersionServesNewCampaignsWhileTheOpenOneKeepsTheOld() throws Exception {
        roster();

        // invalid definitions: every problem names its field, nothing is stored
        ObjectNode broken = builtIn("PHQ-A");
        broken.put("version", "9.9");
        ((ObjectNode) broken.withArray("bands").get(1)).put("min", 7);
        broken.remove("licence");
        given().auth().oauth2(ADMIN).contentType("application/json").body(broken.toString()).post("/api/instruments").then().statusCode(400)
                .body("errors.field", hasItem("bands[1].min")).body("errors.field", hasItem("licence"));
        ObjectNode unknown = builtIn("PHQ-A");
        unknown.put("scoring", "magic");
        given().auth().oauth2(ADMIN).contentType("application/json").body(unknown.toString()).post("/api/instruments").then().statusCode(400)
                .body("errors.field", hasItem("scoring"));
        given().auth().oauth2(COUNSELOR).contentType("application/json").body(builtIn("PHQ-A").toString()).post("/api/instruments").then().statusCode(403);
        given().auth().oauth2(ADMIN).get("/api/instruments/PHQ-A/versions/9.9").then().statusCode(404);

        String open = campaign("PHQ-A", 9);
        given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + open).then().statusCode(200).body("instrumentVersions.'PHQ-A'", equalTo("1.0"));

        // version 2.0: new instructions; a draft until published — the public definition is still 1.0
        ObjectNode next = builtIn("PHQ-A");
        next.put("version", "2.0");
        ((ObjectNode) next.get("instructions")).put("zh", "在过去两周里（第 2 版措辞），你有多少时间受到以下问题的困扰？");
        given().auth().oauth2(ADMIN).contentType("application/json").body(next.toString()).post("/api/instruments").then().statusCode(201)
                .body("status", equalTo("DRAFT"));
        given().get("/api/instruments/PHQ-A").then().statusCode(200).body("version", equalTo("1.0"));
        given().auth().oauth2(ADMIN).get("/api/instruments/PHQ-A/versions/2.0").then().statusCode(200)
                .body("instructions.zh", org.hamcrest.Matchers.containsString("第 2 版"));
        given().auth().oauth2(ADMIN).post("/api/instruments/PHQ-A/versions/2.0/publication").then().statusCode(200).body("status", equalTo("PUBLISHED"));
        given().auth().oauth2(ADMIN).contentType("application/json").body(next.toString()).post("/api/instruments").then().statusCode(409);
        given().get("/api/instruments/PHQ-A").then().statusCode(200).body("version", equalTo("2.0"));
        given().get("/api/instruments/PHQ-A?version=1.0").then().statusCode(200).body("version", equalTo("1.0"));

        String later = campaign("PHQ-A", 9);
        given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + later).then().statusCode(200).body("instrumentVersions.'PHQ-A'", equalTo("2.0"));
        given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + open).then().statusCode(200).body("instrumentVersions.'PHQ-A'", equalTo("1.0"));
        int[] phq = {1, 1, 1, 1, 1, 0, 0, 0, 0};
        assertEquals("1.0", stored(answer(open, "V-1", TEEN_BORN, "PHQ-A", phq))[0], "the open campaign keeps its version");
        assertEquals("2.0", stored(answer(later, "V-2", TEEN_BORN, "PHQ-A", phq))[0], "the new campaign uses the new one");
    }

    @Test
    void aGuardianAnswersThePscForAYoungChildWithTheChildsCode() throws Exception {
        given().get("/api/instruments/PSC-17").then().statusCode(200).body("respondent", equalTo("GUARDIAN"))
                .body("items.size()", equalTo(17)).body("ages.min", equalTo(4)).body("source", org.hamcrest.Matchers.containsString("Gardner"));
        roster();
        String psc = campaign("PSC-17", 2);
        byte[] pdf = "%PDF-1.4 consent %%EOF".getBytes(StandardCharsets.UTF_8);
        given().auth().oauth2(COUNSELOR).contentType("application/pdf").body(pdf).queryParam("decision", "GRANTED")
                .queryParam("decidedOn", LocalDate.now().minusDays(1).toString()).post("/api/schools/" + SCHOOL + "/students/C-1/consents")
                .then().statusCode(201);
        // total 16 of 34: positive, which the PSC-17's own rule makes a moderate risk
        int[] answers = {2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1};
        Object[] row = stored(answer(psc, "C-1", CHILD_BORN, "PSC-17", answers));
        assertEquals("1.0", row[0]);
        assertEquals("MODERATE", row[1]);
        given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/risk-queue").then().statusCode(200)
                .body("studentNumber", hasItem("C-1"));
    }

    static boolean seeded;

    /** The school and its roster, once, whichever test runs first: two pupils of grade 9, a child of grade 2. */
    static synchronized void roster() {
        if (seeded) {
            return;
        }
        RosterImportTest.school(SCHOOL, "量表测试学校");
        String csv = "学号,姓名,性别,出生日期,年级,班级,监护人,监护人电话\nV-1,版本甲,女," + TEEN_BORN + ",9,1班,,\nV-2,版本乙,男," + TEEN_BORN
                + ",9,1班,,\nC-1,儿童丙,女," + CHILD_BORN + ",2,1班,儿童家长,13900002222\n";
        RosterImportTest.importAndWait(COUNSELOR, SCHOOL, "text/csv", csv.getBytes(StandardCharsets.UTF_8));
        seeded = true;
    }
}
