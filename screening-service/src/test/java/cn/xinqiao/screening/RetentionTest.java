package cn.xinqiao.screening;

import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The retention schedule enforced: a dry run reports what is past its period and changes nothing; a run removes
 * exactly that (dependent rows first), is audited, and a second run finds nothing; the audit log ages out only
 * through its own function, never younger than 3 years, and the runtime role still cannot delete from it.
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class RetentionTest {

    static final String SCHOOL = "S370811308";
    static final String COUNSELOR = TestTokens.counselor(SCHOOL, "370811");
    static final String ADMIN = TestTokens.as("admin-retention", "platform-admin").district("370800").token();
    static final String AUDITOR = TestTokens.as("auditor-retention", "auditor").district("370800").token();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BORN = "2010-04-05";

    @Inject
    EntityManager em;

    String campaign(String name) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return given().auth().oauth2(COUNSELOR).contentType("application/json")
                .body(Map.of("name", name + " " + UUID.randomUUID(), "instruments", List.of("PHQ-A"), "schoolIds", List.of(SCHOOL),
                        "grades", List.of(9), "opensAt", now.minusHours(1).toString(), "closesAt", now.plusDays(7).toString()))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
    }

    void answer(String campaign, String number, int[] phq) {
        Map<String, String> codes = new HashMap<>();
        given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + campaign + "/access-codes").then().statusCode(200)
                .extract().<List<Map<String, Object>>>path("$").forEach(s -> codes.put((String) s.get("studentNumber"), (String) s.get("accessCode")));
        String token = given().contentType("application/json").header("X-Forwarded-For", "198.51.100.95")
                .body(Map.of("accessCode", codes.get(number), "birthDate", BORN)).post("/api/student-sessions").then().statusCode(201).extract().path("token");
        given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("campaignId", campaign, "instrumentId", "PHQ-A", "answers", phq, "clientSubmissionId", UUID.randomUUID().toString()))
                .post("/api/submissions").then().statusCode(201);
    }

    long count(String sql, Object param) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(sql).setParameter(1, param).getSingleResult()).longValue());
    }

    void sql(String sql, Object param) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(sql).setParameter(1, param).executeUpdate());
    }

    static Map<String, JsonNode> byKind(String json) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        JSON.readTree(json).path("rules").forEach(r -> out.put(r.path("kind").asText(), r));
        return out;
    }

    @Test
    void aDryRunReportsARunPurgesExactlyWhatIsPastItsPeriodAndTheNextFindsNothing() throws Exception {
        RosterImportTest.school(SCHOOL, "保存期限测试中学");
        RosterImportTest.importAndWait(COUNSELOR, SCHOOL, "text/csv", ("学号,姓名,性别,出生日期,年级,班级\nR1,周保存,女," + BORN + ",9,1班\nR2,吴保存,男,"
                + BORN + ",9,1班\n").getBytes(StandardCharsets.UTF_8));
        // a campaign of four years ago: its answers, a closed critical case with its steps, its codes
        String old = campaign("四年前");
        answer(old, "R1", new int[]{1, 0, 0, 1, 0, 0, 0, 0, 0});
        answer(old, "R2", new int[]{2, 2, 2, 2, 2, 2, 2, 2, 2});
        sql("update campaign set opens_at = now() - interval '4 years 1 month', closes_at = now() - interval '4 years' where id = cast(?1 as uuid)", old);
        sql("update risk_case set status = 'CLOSED', updated_at = now() - interval '4 years' where campaign_id = cast(?1 as uuid)", old);
        // this semester's campaign: kept
        String current = campaign("本学期");
        answer(current, "R1", new int[]{0, 0, 0, 0, 0, 0, 0, 0, 0});
        // a consent of four school years ago, and one of this year
        for (String number : List.of("R1", "R2")) {
            given().auth().oauth2(COUNSELOR).contentType("application/pdf").body("%PDF-1.4 form %%EOF".getBytes(StandardCharsets.US_ASCII))
                    .queryParam("decision", "GRANTED").queryParam("decidedOn", LocalDate.now().minusDays(1).toString())
                    .post("/api/schools/" + SCHOOL + "/students/" + number + "/consents").then().statusCode(201);
        }
        sql("update guardian_consent set school_year = school_year - 4 where school_id = ?1 and student_id = (select id from student where student_number = 'R2' and school_id = ?1)", SCHOOL);
        // an audit line of four years ago (the runtime role may append, with any time)
        sql("insert into audit_log (at, actor, actor_roles, action, resource, resource_id, school_id, purpose) "
                + "values (now() - interval '4 years', 'old-reader', 'school-counselor', 'READ', 'roster', ?1, ?1, 'roster view')", SCHOOL);

        long oldAnswers = count("select count(*) from submission where campaign_id = cast(?1 as uuid)", old);
        long oldCases = count("select count(*) from risk_case where campaign_id = cast(?1 as uuid)", old);
        long oldSteps = count("select count(*) from case_step where case_id in (select id from risk_case where campaign_id = cast(?1 as uuid))", old);
        assertEquals(2, oldAnswers);
        assertEquals(1, oldCases);
        assertTrue(oldSteps > 0, "the critical case has its procedure steps: they go first");

        given().auth().oauth2(COUNSELOR).get("/api/retention").then().statusCode(403);
        given().auth().oauth2(AUDITOR).post("/api/retention/runs").then().statusCode(403);
        Map<String, JsonNode> dry = byKind(given().auth().oauth2(AUDITOR).get("/api/retention").then().statusCode(200).extract().asString());
        assertTrue(dry.get("answers").path("due").asLong() >= 2, dry.get("answers").toString());
        assertTrue(dry.get("cases").path("due").asLong() >= 1);
        assertTrue(dry.get("consents").path("due").asLong() >= 1);
        assertTrue(dry.get("audit-log").path("due").asLong() >= 1);
        assertEquals("P3Y", dry.get("answers").path("keep").asText());
        assertTrue(dry.get("answers").path("reason").asText().length() > 10, "each kind says why it is kept");
        assertEquals(oldAnswers, count("select count(*) from submission where campaign_id = cast(?1 as uuid)", old), "a dry run changes nothing");

        Map<String, JsonNode> run = byKind(given().auth().oauth2(ADMIN).post("/api/retention/runs").then().statusCode(200).extract().asString());
        assertTrue(run.get("answers").path("purged").asLong() >= 2, run.get("answers").toString());
        assertEquals(0, count("select count(*) from submission where campaign_id = cast(?1 as uuid)", old));
        assertEquals(0, count("select count(*) from risk_case where campaign_id = cast(?1 as uuid)", old));
        assertEquals(0, count("select count(*) from access_code where campaign_id = cast(?1 as uuid)", old));
        assertEquals(1, count("select count(*) from submission where campaign_id = cast(?1 as uuid)", current), "this semester's answers stay");
        assertEquals(1, count("select count(*) from guardian_consent where school_id = ?1", SCHOOL), "this year's consent stays");
        assertEquals(0, count("select count(*) from audit_log where actor = 'old-reader' and school_id = ?1", SCHOOL));
        assertTrue(count("select count(*) from audit_log where school_id = ?1", SCHOOL) > 0, "recent audit lines stay");
        assertTrue(count("select count(*) from audit_log where resource = ?1 and purpose like 'purged:%'", "retention") > 0, "the run is audited");

        Map<String, JsonNode> again = byKind(given().auth().oauth2(ADMIN).post("/api/retention/runs").then().statusCode(200).extract().asString());
        again.values().forEach(r -> assertEquals(0, r.path("purged").asLong(), "a second run finds nothing: " + r));

        // the audit log: never younger than 3 years, and never by a plain delete
        assertThrows(Exception.class, () -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "select audit_log_purge(now() - interval '1 year', 10)").getSingleResult()));
        assertThrows(Exception.class, () -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "delete from audit_log where school_id = ?1").setParameter(1, SCHOOL).executeUpdate()));
    }
}
