package cn.xinqiao.e2e;

import cn.xinqiao.stack.PostgresServer;
import cn.xinqiao.testing.KafkaProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A student erased on the running city: they answered (a critical item), reached the hospital through the green
 * channel, called the hotline and gave their school and number; the referral and the case closed; the school's
 * admin asked for the erasure and the county bureau approved it. Afterwards their name, student number, guardian's
 * phone and the operator's notes are in no table of any service, on no topic (the hospital's message still lies on
 * its topic, and no longer opens), and in no export.
 */
class ErasureIT {

    static final String SCHOOL = "S370811001";   // 济宁市第一中学: admin.jn1 is its admin, analyst.rc its county's bureau
    static final String HOSPITAL_TOPIC = "referral.hospital.H370800001.v1";
    static final List<String> DATABASES = List.of("screening", "referral", "hotline", "reporting", "notification");

    @BeforeAll
    static void up() throws Exception {
        Stack.get();
    }

    @Test
    void anErasedStudentIsInNoTableNoTopicAndNoExport() throws Exception {
        String screening = Stack.url("screening-service");
        String referral = Stack.url("referral-service");
        String hotline = Stack.url("hotline-service");
        String counselor = Stack.token("counselor.jn1");
        String suffix = Long.toString(System.nanoTime() % 1_000_000);
        String number = "ERZ" + suffix;
        String name = "删除验证生" + suffix;
        String phone = "1390537" + String.format("%04d", Long.parseLong(suffix) % 10_000);
        String note = "来电学生" + name + "表示压力很大";

        // enrolled, answers a critical item on paper
        String csv = "学号,姓名,性别,出生日期,年级,班级,监护人,监护人电话\n" + number + "," + name + ",女,2010-06-07,10,删除1班,删除家长," + phone + "\n";
        String job = given().auth().oauth2(counselor).contentType("text/csv; charset=UTF-8").body(csv.getBytes(StandardCharsets.UTF_8))
                .post(screening + "/api/schools/" + SCHOOL + "/roster-imports").then().statusCode(202).extract().path("id");
        CareLoopIT.await(() -> "DONE".equals(given().auth().oauth2(counselor).get(screening + "/api/roster-imports/" + job).path("status")), "the roster");
        String campaign = given().auth().oauth2(counselor).get(screening + "/api/campaigns").then().statusCode(200).extract().path("[0].id");
        given().auth().oauth2(counselor).post(screening + "/api/campaigns/" + campaign + "/access-codes").then().statusCode(200);
        given().auth().oauth2(counselor).contentType("application/json")
                .body(Map.of("campaignId", campaign, "instrumentId", "PHQ-A", "answers", List.of(2, 1, 1, 1, 0, 1, 0, 0, 2),
                        "studentNumber", number, "mode", "PAPER", "clientSubmissionId", "erase-" + number))
                .post(screening + "/api/submissions").then().statusCode(201);
        String caseId = CareLoopIT.awaitValue(() -> given().auth().oauth2(counselor).get(screening + "/api/schools/" + SCHOOL + "/risk-queue")
                .then().statusCode(200).extract().path("find { it.studentNumber == '" + number + "' }.id"), "the student's case");

        // the hospital's message, opened by its engine
        String engine = Stack.token("clinician.h1");
        KafkaProbe kafka = new KafkaProbe(Stack.get().kafkaBootstrap());
        ConsumerRecord<String, String> message = kafka.readUntil(HOSPITAL_TOPIC, Duration.ofSeconds(60),
                        rs -> rs.stream().anyMatch(r -> HospitalEngine.patientOf(r, engine).contains(name))).stream()
                .filter(r -> HospitalEngine.patientOf(r, engine).contains(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no hospital message for the student"));
        String referralId = message.key();

        // the student calls the hotline and gives their school and number
        String operator = Stack.token("operator.hl");
        String call = given().auth().oauth2(operator).contentType("application/json").body(Map.of("channel", "PHONE", "callerPhone", phone))
                .post(hotline + "/api/calls").then().statusCode(201).extract().path("id");
        given().auth().oauth2(operator).contentType("application/json").body(Map.of("callerType", "STUDENT", "identified", true,
                        "schoolId", SCHOOL, "studentNumber", number, "categories", List.of("school.exam-stress"), "riskLevel", "LOW", "notes", note))
                .patch(hotline + "/api/calls/" + call).then().statusCode(200);
        given().auth().oauth2(operator).contentType("application/json").post(hotline + "/api/calls/" + call + "/close").then().statusCode(200);

        // the referral and the case close
        given().auth().oauth2(counselor).contentType("application/json").body(Map.of("to", "cancelled", "reason", "监护人已带学生自行就医"))
                .post(referral + "/api/referrals/" + referralId + "/transitions").then().statusCode(200);
        List<String> critical = given().auth().oauth2(counselor).get(screening + "/api/cases/" + caseId).then().statusCode(200)
                .extract().jsonPath().getList("steps.findAll { it.critical }.code");
        for (String step : critical) { // the procedure's critical steps, done, before the case may close
            given().auth().oauth2(counselor).contentType("application/json").body(Map.of("code", step, "outcome", "DONE", "how", "IN_PERSON"))
                    .post(screening + "/api/cases/" + caseId + "/steps").then().statusCode(org.hamcrest.Matchers.anyOf(
                            org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(409)));
        }
        given().auth().oauth2(counselor).contentType("application/json").body(Map.of("kind", "CLOSE", "note", "已自行就医，结案"))
                .post(screening + "/api/risk-queue/" + caseId + "/notes").then().statusCode(200);

        // the school's admin asks, the county bureau approves (once screening has heard the referral closed)
        String request = given().auth().oauth2(Stack.token("admin.jn1")).contentType("application/json")
                .body(Map.of("studentNumber", number, "reason", "学生转出本市，监护人依法申请删除"))
                .post(screening + "/api/schools/" + SCHOOL + "/erasure-requests").then().statusCode(201).extract().path("id");
        String bureau = Stack.token("analyst.rc");
        String[] answer = new String[1];
        CareLoopIT.awaitValue(() -> {
            var r = given().auth().oauth2(bureau).contentType("application/json").body(Map.of("decision", "APPROVE", "note", "同意"))
                    .post(screening + "/api/erasure-requests/" + request + "/decision");
            answer[0] = r.statusCode() + " " + r.asString();
            return r.statusCode() == 200 ? r : null;
        }, () -> "the bureau's approval: " + answer[0]);
        CareLoopIT.await(() -> applied("referral", "select count(*) from erasure_applied") > 0
                && applied("hotline", "select count(*) from call_record where id = '" + call + "' and student_number is null") > 0
                && applied("reporting", "select count(*) from erased_subject") > 0, "every service applied the erasure");

        // no table, no topic, no export
        List<String> found = new ArrayList<>();
        for (String text : List.of(name, number, phone)) {
            for (String db : DATABASES) {
                tablesContaining(db, text).forEach(t -> found.add(text + " in " + db + "." + t));
            }
            CareLoopIT.everyTopicContaining(text).forEach(t -> found.add(text + " on " + t));
        }
        String analyst = Stack.token("analyst.city");
        for (String kind : List.of("screening", "referrals", "hotline")) {
            for (String format : List.of("csv", "xlsx", "pdf")) {
                String query = kind.equals("screening") ? "&campaignId=" + campaign : ""; // the current semester
                byte[] export = given().auth().oauth2(analyst).get(Stack.url("reporting-service") + "/api/reports/" + kind + "/export?format=" + format
                        + "&level=city&code=370800" + query).then().statusCode(200).extract().asByteArray();
                for (String text : List.of(name, number, phone)) {
                    if (new String(export, StandardCharsets.UTF_8).contains(text) || new String(export, StandardCharsets.ISO_8859_1).contains(text)) {
                        found.add(text + " in the " + kind + " " + format + " export");
                    }
                }
            }
        }
        assertEquals(List.of(), found, "the erased student is nowhere");
        assertEquals(410, HospitalEngine.openNow(message.value(), engine).statusCode(), "the message on the hospital's topic no longer opens");
        assertTrue(given().auth().oauth2(bureau).get(screening + "/api/erasure-requests?status=DONE").asString().contains(request),
                "the request stays as the record that it was done");
        // the scans find what is there: the school's name in its tables, the referral's message on the hospital's topic
        assertFalse(tablesContaining("screening", "济宁市第一中学").isEmpty(), "the table scan reads the tables it claims to read");
        assertTrue(CareLoopIT.everyTopicContaining(referralId).contains(HOSPITAL_TOPIC), "the topic scan reads the topics");
    }

    static long applied(String db, String sql) {
        try (Connection c = DriverManager.getConnection(Stack.get().jdbcUrl(db), PostgresServer.OPERATOR_USER, PostgresServer.OPERATOR_PASSWORD);
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every column of every table of the database whose value holds the text (text-like columns as UTF-8, bytea raw). */
    static List<String> tablesContaining(String db, String text) throws Exception {
        List<String> found = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(Stack.get().jdbcUrl(db), PostgresServer.OPERATOR_USER, PostgresServer.OPERATOR_PASSWORD)) {
            List<String[]> columns = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("""
                    select table_name, column_name, data_type from information_schema.columns
                    where table_schema = 'public' and data_type in ('character varying', 'text', 'jsonb', 'bytea', 'ARRAY', 'character')""")) {
                while (rs.next()) {
                    columns.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            for (String[] col : columns) {
                String value = "bytea".equals(col[2]) ? "\"" + col[1] + "\"" : "convert_to(cast(\"" + col[1] + "\" as text), 'UTF8')";
                try (PreparedStatement ps = c.prepareStatement("select count(*) from \"" + col[0] + "\" where position(? in " + value + ") > 0")) {
                    ps.setBytes(1, text.getBytes(StandardCharsets.UTF_8));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            found.add(col[0] + "." + col[1]);
                        }
                    }
                }
            }
        }
        return found;
    }
}
