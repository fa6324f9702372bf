package cn.xinqiao.platform.audit;

import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class AuditTrailTest {

    @Inject
    AuditTrail audit;

    @Inject
    EntityManager em;

    @Test
    void auditLinesAreSearchableByTheAuditorOnly() {
        audit.recordAs("counselor-1", "school-counselor", AuditTrail.Action.READ, "student", "S370811001/2024001",
                "S370811001", "risk queue follow-up");

        given().auth().oauth2(TestTokens.as("auditor-1", "auditor").token())
                .queryParam("resourceId", "S370811001/2024001")
                .get("/api/audit")
                .then().statusCode(200)
                .body("actor", hasItem("counselor-1"))
                .body("[0].purpose", equalTo("risk queue follow-up"));
        given().auth().oauth2(TestTokens.counselor("S370811001", "370811"))
                .get("/api/audit")
                .then().statusCode(403);

        // the export: CSV with a BOM, the same filters, and the export itself on record
        String auditor = TestTokens.as("auditor-1", "auditor").token();
        byte[] csv = given().auth().oauth2(auditor).queryParam("resourceId", "S370811001/2024001").queryParam("action", "READ")
                .get("/api/audit/export").then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/csv")).extract().asByteArray();
        String text = new String(csv, java.nio.charset.StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertTrue(text.startsWith("\uFEFF编号,时间,操作人") && text.contains("\"counselor-1\"")
                && text.contains("\"risk queue follow-up\""), text);
        given().auth().oauth2(auditor).queryParam("resource", "audit-log").queryParam("action", "EXPORT").get("/api/audit")
                .then().statusCode(200).body("actor", hasItem("auditor-1"));
        given().auth().oauth2(auditor).queryParam("action", "DELETE").get("/api/audit/export").then().statusCode(400);
    }

    /**
     * The service's own connection runs as the runtime role (the test infrastructure separates it from the owner that
     * migrates, as a deployment does): it may not rewrite the log, and it may not switch off the trigger that would
     * stop the owner either.
     */
    @Test
    void theRuntimeRoleCanOnlyAppendToTheAuditLogAndCannotDisableItsTrigger() {
        audit.recordAs("x", "auditor", AuditTrail.Action.READ, "student", "s-1", null, "test");
        assertEquals("service_app", QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("select current_user").getSingleResult()));
        for (String sql : new String[]{"update audit_log set actor = 'someone else'", "delete from audit_log", "truncate audit_log"}) {
            PersistenceException e = assertThrows(PersistenceException.class,
                    () -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(sql).executeUpdate()));
            assertTrue(String.valueOf(rootMessage(e)).contains("permission denied for table audit_log"), sql + ": " + rootMessage(e));
        }
        for (String sql : new String[]{"alter table audit_log disable trigger audit_log_no_update", "alter table audit_log disable trigger all",
                "drop trigger audit_log_no_update on audit_log", "create table sneaky (id int)"}) {
            PersistenceException e = assertThrows(PersistenceException.class,
                    () -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(sql).executeUpdate()));
            String why = String.valueOf(rootMessage(e));
            assertTrue(why.contains("must be owner") || why.contains("permission denied"), sql + ": " + why);
        }
        // the owner still meets the trigger: the log is append-only for everyone
        assertTrue(QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from pg_trigger where tgrelid = 'audit_log'::regclass and tgenabled = 'O'").getSingleResult()).intValue()) >= 2);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
