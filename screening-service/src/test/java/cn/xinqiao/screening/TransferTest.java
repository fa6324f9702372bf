package cn.xinqiao.screening;

import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A student who changes school keeps one care record: a roster import at the new school with the same national student
 * number moves them, an explicit transfer by the bureau does too; the new school sees the record, the old one no longer
 * does, both moves are audited, and the national number itself is stored nowhere.
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class TransferTest {

    static final String OLD = "S370811601";
    static final String NEW = "S370811602";
    static final String OLD_COUNSELOR = TestTokens.counselor(OLD, "370811");
    static final String NEW_COUNSELOR = TestTokens.counselor(NEW, "370811");
    static final String NATIONAL_ID = "G370811201005051234";
    static final String HEADER = "学号,姓名,性别,出生日期,年级,班级,监护人,监护人电话,全国学籍号\n";

    @Inject
    EntityManager em;

    @Test
    void aStudentWhoChangesSchoolKeepsOneRecordThatOnlyTheCurrentSchoolSees() {
        RosterImportTest.school(OLD, "转出测试中学");
        RosterImportTest.school(NEW, "转入测试中学");
        RosterImportTest.importAndWait(OLD_COUNSELOR, OLD, "text/csv", (HEADER + "T1,丙转学,女,2010-05-05,10,1班,丙家长,13900001111," + NATIONAL_ID + "\nT2,丁留校,男,2010-06-06,10,1班,,,\n")
                .getBytes(StandardCharsets.UTF_8)).then().body("status", equalTo("DONE"));
        String caseId = given().auth().oauth2(OLD_COUNSELOR).contentType("application/json")
                .body(Map.of("studentNumber", "T1", "source", "DAILY_WORK", "riskLevel", "MODERATE", "note", "情绪低落两周"))
                .post("/api/schools/" + OLD + "/cases").then().statusCode(201).extract().path("riskCase.id");

        // the new school's roster names the same national student number under its own student number
        RosterImportTest.importAndWait(NEW_COUNSELOR, NEW, "text/csv", (HEADER + "N9,丙转学,女,2010-05-05,10,3班,丙家长,13900001111," + NATIONAL_ID + "\n")
                .getBytes(StandardCharsets.UTF_8)).then().body("status", equalTo("DONE"));

        given().auth().oauth2(NEW_COUNSELOR).get("/api/schools/" + NEW + "/students/N9/care-record").then().statusCode(200)
                .body("student.name", equalTo("丙转学")).body("timeline.find { it.kind == 'RISK_CASE' }.caseId", equalTo(caseId));
        given().auth().oauth2(NEW_COUNSELOR).get("/api/cases/" + caseId).then().statusCode(200);
        List<String> newQueue = given().auth().oauth2(NEW_COUNSELOR).get("/api/schools/" + NEW + "/risk-queue").then().statusCode(200)
                .extract().path("studentNumber");
        assertEquals(List.of("N9"), newQueue);
        given().auth().oauth2(OLD_COUNSELOR).get("/api/schools/" + OLD + "/students/T1/care-record").then().statusCode(404);
        given().auth().oauth2(OLD_COUNSELOR).get("/api/cases/" + caseId).then().statusCode(404);
        assertEquals(List.of(), given().auth().oauth2(OLD_COUNSELOR).get("/api/schools/" + OLD + "/risk-queue").then().statusCode(200)
                .extract().path("studentNumber"), "the old school no longer sees the student");
        assertEquals(List.of("transferred in (roster_import)", "transferred out (roster_import)"), purposes());
        long plain = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                select (select count(*) from student where national_key = ?1 or student_number = ?1)
                     + (select count(*) from audit_log where purpose like ?2 or resource_id like ?2)
                     + (select count(*) from roster_import where content is not null and school_id in (?3, ?4))""")
                .setParameter(1, NATIONAL_ID).setParameter(2, "%" + NATIONAL_ID + "%").setParameter(3, OLD).setParameter(4, NEW)
                .getSingleResult()).longValue());
        assertEquals(0, plain, "the national student number is kept only as its keyed hash");

        // the bureau moves the student back explicitly; only within its area, never over a student the school already has
        String analyst = TestTokens.analyst("370811");
        given().auth().oauth2(TestTokens.analyst("370812")).contentType("application/json")
                .body(Map.of("fromSchoolId", NEW, "studentNumber", "N9", "toSchoolId", OLD, "newStudentNumber", "T1B"))
                .post("/api/students/transfers").then().statusCode(403);
        given().auth().oauth2(analyst).contentType("application/json")
                .body(Map.of("fromSchoolId", NEW, "studentNumber", "NOBODY", "toSchoolId", OLD, "newStudentNumber", "T1B"))
                .post("/api/students/transfers").then().statusCode(404);
        given().auth().oauth2(OLD_COUNSELOR).contentType("application/json")
                .body(Map.of("fromSchoolId", NEW, "studentNumber", "N9", "toSchoolId", OLD, "newStudentNumber", "T1B"))
                .post("/api/students/transfers").then().statusCode(403);
        given().auth().oauth2(analyst).contentType("application/json")
                .body(Map.of("fromSchoolId", NEW, "studentNumber", "N9", "toSchoolId", OLD, "newStudentNumber", "T2"))
                .post("/api/students/transfers").then().statusCode(409).body("type", org.hamcrest.Matchers.endsWith("student-number-taken"));
        String moved = given().auth().oauth2(analyst).contentType("application/json")
                .body(Map.of("fromSchoolId", NEW, "studentNumber", "N9", "toSchoolId", OLD, "newStudentNumber", "T1B"))
                .post("/api/students/transfers").then().statusCode(201).body("studentNumber", equalTo("T1B")).extract().asString();
        assertFalse(moved.contains("丙转学"), "the bureau learns nothing about the student");
        given().auth().oauth2(OLD_COUNSELOR).get("/api/schools/" + OLD + "/students/T1B/care-record").then().statusCode(200)
                .body("timeline.find { it.kind == 'RISK_CASE' }.caseId", equalTo(caseId));
        given().auth().oauth2(NEW_COUNSELOR).get("/api/cases/" + caseId).then().statusCode(404);
        assertTrue(purposes().contains("transferred in (bureau)"));
    }

    private List<String> purposes() {
        @SuppressWarnings("unchecked")
        List<String> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                select purpose from audit_log where resource = 'student' and purpose like 'transferred%' and school_id in (?1, ?2)
                order by purpose""").setParameter(1, OLD).setParameter(2, NEW).getResultList());
        return rows;
    }
}
