package cn.xinqiao.screening;

import cn.xinqiao.contracts.ContractValidator;
import cn.xinqiao.screening.erasure.ErasureService;
import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Erasing one student: the school's admin asks, the county bureau approves, and screening-service keeps nothing of
 * the student — no row in any table names them or holds their answers — while the request stays as the record
 * that it was done; the erasure is announced with the key only. A student whose open case needs the data for their
 * safety is not erased until it closes, and a rejected request changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class ErasureTest {

    static final String SCHOOL = "S370811307";
    static final String ADMIN = TestTokens.as("admin-s307", "school-admin").school(SCHOOL).district("370811").token();
    static final String COUNSELOR = TestTokens.counselor(SCHOOL, "370811");
    static final String BUREAU = TestTokens.analyst("370811");
    static final String OTHER_BUREAU = TestTokens.analyst("370812");
    static final String NAME = "欧阳删除";
    static final String NUMBER = "ERASE-1";
    static final String BORN = "2010-02-03";

    @Inject
    EntityManager em;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    static String campaign;
    static final Map<String, String> CODES = new HashMap<>();

    synchronized void setUp() {
        if (campaign != null) {
            return;
        }
        String csv = "学号,姓名,性别,出生日期,年级,班级,监护人,监护人电话\n" + NUMBER + "," + NAME + ",女," + BORN + ",9,1班,欧阳家长,13900001111\n"
                + "CRISIS-1,危机学生,男," + BORN + ",9,1班,,\nKEEP-1,保留学生,男," + BORN + ",9,1班,,\n";
        SchoolFixture fixture = SchoolFixture.open(SCHOOL, "删除测试中学", COUNSELOR, csv, 9);
        CODES.putAll(fixture.codes());
        campaign = fixture.campaign();
    }

    static void answer(String number, int[] phq) {
        String token = given().contentType("application/json").header("X-Forwarded-For", "198.51.100.90")
                .body(Map.of("accessCode", CODES.get(number), "birthDate", BORN)).post("/api/student-sessions")
                .then().statusCode(201).extract().path("token");
        given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("campaignId", campaign, "instrumentId", "PHQ-A", "answers", phq, "clientSubmissionId", UUID.randomUUID().toString()))
                .post("/api/submissions").then().statusCode(201);
    }

    static String request(String number) {
        return given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("studentNumber", number, "reason", "监护人依法申请删除"))
                .post("/api/schools/" + SCHOOL + "/erasure-requests").then().statusCode(201).body("status", equalTo("REQUESTED"))
                .body("studentNumber", equalTo(number)).extract().path("id");
    }

    /** Every table of this database with a text-like column that holds the text, by table name. */
    List<String> tablesContaining(String text) {
        @SuppressWarnings("unchecked")
        List<Object[]> columns = em.createNativeQuery("""
                        select table_name, column_name, data_type from information_schema.columns
                        where table_schema = 'public' and data_type in ('character varying', 'text', 'jsonb', 'bytea', 'ARRAY')
                          and table_name <> 'flyway_schema_history'""").getResultList();
        List<String> found = new ArrayList<>();
        for (Object[] c : columns) {
            String column = "bytea".equals(c[2]) ? "\"" + c[1] + "\"" : "convert_to(cast(\"" + c[1] + "\" as text), 'UTF8')";
            String sql = "select count(*) from \"" + c[0] + "\" where position(cast(?1 as bytea) in " + column + ") > 0";
            if (((Number) em.createNativeQuery(sql).setParameter(1, text.getBytes(StandardCharsets.UTF_8)).getSingleResult()).longValue() > 0) {
                found.add(c[0] + "." + c[1]);
            }
        }
        return found;
    }

    @Test
    void anApprovedErasureLeavesNothingOfTheStudentHereAndAnnouncesOnlyTheKey() throws Exception {
        setUp();
        answer(NUMBER, new int[]{1, 1, 0, 1, 0, 0, 1, 0, 0});
        given().auth().oauth2(COUNSELOR).contentType("application/pdf").body(("%PDF-1.4 signed consent of " + NAME + " %%EOF").getBytes(StandardCharsets.UTF_8))
                .queryParam("decision", "GRANTED").queryParam("decidedOn", LocalDate.now().minusDays(2).toString())
                .post("/api/schools/" + SCHOOL + "/students/" + NUMBER + "/consents").then().statusCode(201);
        String studentId = em.createNativeQuery("select cast(id as text) from student where school_id = ?1 and student_number = ?2")
                .setParameter(1, SCHOOL).setParameter(2, NUMBER).getSingleResult().toString();
        String key = em.createNativeQuery("select student_key from student where id = cast(?1 as uuid)").setParameter(1, studentId).getSingleResult().toString();
        assertFalse(tablesContaining(NAME).isEmpty(), "the scan finds the student before the erasure: " + tablesContaining(NAME));

        // only the school's admin asks; only the bureau of the school's county decides
        given().auth().oauth2(COUNSELOR).contentType("application/json").body(Map.of("studentNumber", NUMBER, "reason", "x"))
                .post("/api/schools/" + SCHOOL + "/erasure-requests").then().statusCode(403);
        String id = request(NUMBER);
        given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("studentNumber", NUMBER, "reason", "again"))
                .post("/api/schools/" + SCHOOL + "/erasure-requests").then().statusCode(409).body("type", endsWith("erasure-pending"));
        given().auth().oauth2(BUREAU).get("/api/erasure-requests?status=REQUESTED").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.studentNumber", nullValue()); // the bureau decides without knowing who
        given().auth().oauth2(OTHER_BUREAU).contentType("application/json").body(Map.of("decision", "APPROVE"))
                .post("/api/erasure-requests/" + id + "/decision").then().statusCode(404);
        given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("decision", "APPROVE"))
                .post("/api/erasure-requests/" + id + "/decision").then().statusCode(403);

        given().auth().oauth2(BUREAU).contentType("application/json").body(Map.of("decision", "APPROVE", "note", "符合删除条件"))
                .post("/api/erasure-requests/" + id + "/decision").then().statusCode(200).body("status", equalTo("DONE"))
                .body("erased.submissions", equalTo(1)).body("erased.consents", equalTo(1)).body("erased.student", equalTo(1));
        given().auth().oauth2(BUREAU).contentType("application/json").body(Map.of("decision", "APPROVE"))
                .post("/api/erasure-requests/" + id + "/decision").then().statusCode(409).body("type", endsWith("erasure-decided"));

        assertEquals(List.of(), tablesContaining(NAME), "the name is in no table");
        assertEquals(List.of(), tablesContaining(NUMBER), "nor the student number");
        assertEquals(List.of(), tablesContaining("13900001111"), "nor the guardian's phone");
        List<String> byId = tablesContaining(studentId);
        assertTrue(byId.stream().allMatch(t -> t.startsWith("audit_log.")), "only the audit log still names the old id: " + byId);
        assertEquals(0L, ((Number) em.createNativeQuery("select count(*) from submission where student_id = cast(?1 as uuid)")
                .setParameter(1, studentId).getSingleResult()).longValue(), "no answers");
        given().contentType("application/json").header("X-Forwarded-For", "198.51.100.91")
                .body(Map.of("accessCode", CODES.get(NUMBER), "birthDate", BORN)).post("/api/student-sessions").then().statusCode(401);

        List<ConsumerRecord<String, String>> events = new KafkaProbe(bootstrap).readUntil(ErasureService.TOPIC, Duration.ofSeconds(15),
                r -> r.stream().anyMatch(e -> e.value().contains(id)));
        ConsumerRecord<String, String> event = events.stream().filter(e -> e.value().contains(id)).findFirst().orElseThrow();
        ContractValidator.load().assertConforms(ErasureService.TOPIC, KafkaProbe.headers(event), event.value());
        assertEquals(key, event.key());
        assertFalse(event.value().contains(NAME) || event.value().contains(NUMBER), "the key only");
        given().auth().oauth2(ADMIN).get("/api/erasure-requests").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.status", equalTo("DONE"))
                .body("find { it.id == '" + id + "' }.studentNumber", nullValue());
    }

    @Test
    void aStudentWhoseOpenCaseNeedsTheDataIsNotErasedAndARejectionChangesNothing() {
        setUp();
        answer("CRISIS-1", new int[]{2, 2, 2, 2, 2, 2, 2, 2, 2}); // item 9: an open case, a referral request
        String crisis = request("CRISIS-1");
        given().auth().oauth2(BUREAU).contentType("application/json").body(Map.of("decision", "APPROVE"))
                .post("/api/erasure-requests/" + crisis + "/decision").then().statusCode(409).body("type", endsWith("vital-interest"));
        assertEquals(1L, ((Number) em.createNativeQuery("select count(*) from student where school_id = ?1 and student_number = 'CRISIS-1'")
                .setParameter(1, SCHOOL).getSingleResult()).longValue());

        // once the case has closed (its critical steps done), the same request goes through
        String caseId = given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/risk-queue").then().statusCode(200)
                .extract().path("find { it.studentNumber == 'CRISIS-1' }.id");
        for (String step : given().auth().oauth2(COUNSELOR).get("/api/cases/" + caseId).then().statusCode(200).extract().jsonPath()
                .<String>getList("steps.findAll { it.critical }.code")) {
            given().auth().oauth2(COUNSELOR).contentType("application/json").body(Map.of("code", step, "outcome", "DONE", "how", "IN_PERSON"))
                    .post("/api/cases/" + caseId + "/steps").then().statusCode(200);
        }
        given().auth().oauth2(COUNSELOR).contentType("application/json").body(Map.of("kind", "CLOSE", "note", "已结案"))
                .post("/api/risk-queue/" + caseId + "/notes").then().statusCode(200);
        given().auth().oauth2(BUREAU).contentType("application/json").body(Map.of("decision", "APPROVE"))
                .post("/api/erasure-requests/" + crisis + "/decision").then().statusCode(200).body("status", equalTo("DONE"));

        String keep = request("KEEP-1");
        given().auth().oauth2(BUREAU).contentType("application/json").body(Map.of("decision", "REJECT", "note", "仍在校就读，需保留"))
                .post("/api/erasure-requests/" + keep + "/decision").then().statusCode(200).body("status", equalTo("REJECTED"));
        assertEquals(1L, ((Number) em.createNativeQuery("select count(*) from student where school_id = ?1 and student_number = 'KEEP-1'")
                .setParameter(1, SCHOOL).getSingleResult()).longValue());
        given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("studentNumber", "NOBODY", "reason", "x"))
                .post("/api/schools/" + SCHOOL + "/erasure-requests").then().statusCode(404);
    }
}
