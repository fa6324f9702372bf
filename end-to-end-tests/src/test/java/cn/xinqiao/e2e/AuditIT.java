package cn.xinqiao.e2e;

import cn.xinqiao.stack.PostgresServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8's audit: a read of identifiable student data leaves an append-only record (who, role, what, when,
 * purpose) that the auditor finds; the record cannot be changed or removed, neither through the API (there is no
 * such endpoint: the matrix covers every one) nor with the database role the service itself runs as.
 */
class AuditIT {

    @BeforeAll
    static void up() throws Exception {
        Stack.get();
    }

    @Test
    void identifiableReadsAreAuditedSearchableAndCannotBeRewritten() throws Exception {
        String screening = Stack.url("screening-service");
        String referral = Stack.url("referral-service");
        String counselor = Stack.token("counselor.yz1");
        given().auth().oauth2(counselor).get(screening + "/api/schools/S370812001/risk-queue").then().statusCode(200);
        given().auth().oauth2(Stack.token("clinician.h2")).get(referral + "/api/referrals").then().statusCode(200);

        String auditor = Stack.token("auditor");
        List<Map<String, Object>> reads = given().auth().oauth2(auditor).get(screening + "/api/audit?actor=counselor.yz1&resource=risk-queue")
                .then().statusCode(200).extract().path("$");
        assertTrue(!reads.isEmpty(), "the counsellor's read of the risk queue is on record");
        Map<String, Object> record = reads.get(0);
        assertTrue(record.get("actorRoles").toString().contains("school-counselor") && "READ".equals(record.get("action"))
                && "S370812001".equals(record.get("schoolId")) && record.get("at") != null && record.get("purpose") != null, record.toString());
        given().auth().oauth2(auditor).get(referral + "/api/audit?actor=clinician.h2").then().statusCode(200)
                .body("resource", hasItem("referral")).body("[0].actorRoles", equalTo("clinician"));
        given().auth().oauth2(counselor).get(screening + "/api/audit").then().statusCode(403);

        for (String db : List.of("screening", "referral", "hotline", "reporting", "notification")) {
            try (Connection c = DriverManager.getConnection(Stack.get().jdbcUrl(db), PostgresServer.OPERATOR_USER, PostgresServer.OPERATOR_PASSWORD)) {
                c.createStatement().execute("insert into audit_log (actor, actor_roles, action, resource, purpose) values ('audit-it', 'test', 'READ', 'probe', 'proves the table takes rows')");
                assertThrows(SQLException.class, () -> c.createStatement().executeUpdate("update audit_log set purpose = 'rewritten'"), db + ": update");
                assertThrows(SQLException.class, () -> c.createStatement().executeUpdate("delete from audit_log"), db + ": delete");
                assertThrows(SQLException.class, () -> c.createStatement().execute("truncate audit_log"), db + ": truncate");
            }
            // what the service itself runs as may append, and cannot switch the rule off or change the schema
            try (Connection c = DriverManager.getConnection(Stack.get().jdbcUrl(db), db + "_app", Stack.get().databasePassword(db + "_app"))) {
                c.createStatement().execute("insert into audit_log (actor, actor_roles, action, resource, purpose) values ('audit-it', 'test', 'READ', 'probe', 'runtime role appends')");
                for (String sql : List.of("update audit_log set purpose = 'rewritten'", "delete from audit_log", "truncate audit_log",
                        "alter table audit_log disable trigger all", "drop table audit_log", "create table sneaky (id int)")) {
                    if (db.equals("reporting") && sql.startsWith("create")) {
                        continue; // reporting's rebuild stages replayed events in tables of its own (V4__rebuild_privileges)
                    }
                    SQLException e = assertThrows(SQLException.class, () -> c.createStatement().execute(sql), db + "_app: " + sql);
                    assertTrue(e.getMessage().contains("permission denied") || e.getMessage().contains("must be owner"), db + "_app: " + sql + ": " + e.getMessage());
                }
            }
        }
    }
}
