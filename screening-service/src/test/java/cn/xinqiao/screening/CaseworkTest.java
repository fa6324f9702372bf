package cn.xinqiao.screening;

import cn.xinqiao.contracts.ContractValidator;
import cn.xinqiao.screening.casework.CaseClocks;
import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cases from daily work, the standard procedure's steps and clocks, over real PostgreSQL and Kafka. */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class CaseworkTest {

    static final String SCHOOL = "S370811303";
    static final String COUNSELOR = TestTokens.counselor(SCHOOL, "370811");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    CaseClocks clocks;

    @Inject
    jakarta.persistence.EntityManager em;

    static boolean rostered;

    static synchronized void roster() {
        if (rostered) {
            return;
        }
        rostered = true;
        RosterImportTest.school(SCHOOL, "个案测试中学");
        RosterImportTest.importAndWait(COUNSELOR, SCHOOL, "text/csv", ("学号,姓名,性别,出生日期,年级,班级\nW1,甲个案,女,2011-01-01,9,1班\n"
                + "W2,乙个案,男,2011-02-02,9,1班\nW3,丙个案,女,2011-03-03,9,2班\nW4,丁个案,男,2011-04-04,9,2班\n").getBytes(StandardCharsets.UTF_8));
    }

    static io.restassured.response.Response open(String student, String source, String level, String note, int[] asq) {
        Map<String, Object> body = new HashMap<>(Map.of("studentNumber", student, "source", source, "riskLevel", level, "note", note));
        if (asq != null) {
            body.put("asqAnswers", asq);
        }
        return given().auth().oauth2(COUNSELOR).contentType("application/json").body(body).post("/api/schools/" + SCHOOL + "/cases");
    }

    @Test
    void aCriticalCaseFromATeachersReportReachesTheGreenChannelAndRunsTheCriticalProcedure() throws Exception {
        roster();
        OffsetDateTime before = OffsetDateTime.now();
        JsonPath opened = open("W1", "TEACHER_REPORT", "CRITICAL", "班主任发现学生在作业本上写下想死的话", null).then().statusCode(201)
                .body("source", equalTo("TEACHER_REPORT")).body("riskCase.riskLevel", equalTo("CRITICAL"))
                .body("riskCase.status", equalTo("REFERRED")).extract().jsonPath();
        String caseId = opened.getString("riskCase.id");
        assertEquals(List.of("STAY_AND_INFORM_SAFETY_LEAD", "GUARDIAN_CONTACTED", "REFERRAL_SENT", "SAFETY_PLAN"), opened.getList("steps.code"));
        OffsetDateTime guardianDue = OffsetDateTime.parse(opened.getString("steps[1].dueAt"));
        assertTrue(!guardianDue.isBefore(before.plusHours(1)) && guardianDue.isBefore(OffsetDateTime.now().plusHours(1).plusSeconds(1)),
                "the guardian within an hour of the report: " + guardianDue);
        assertEquals("陪伴学生并立即报告学校安全负责人", opened.getString("steps[0].title.zh"));

        ConsumerRecord<String, String> request = new KafkaProbe(bootstrap).readUntil("referral.requests.v1", Duration.ofSeconds(20),
                        r -> r.stream().anyMatch(x -> x.value().contains(caseId)))
                .stream().filter(x -> x.value().contains(caseId)).findFirst().orElseThrow();
        ContractValidator.load().assertConforms("referral.requests.v1", KafkaProbe.headers(request), request.value());
        JsonPath event = JsonPath.from(request.value());
        assertEquals("COUNSELOR", event.getString("source"));
        assertEquals(List.of("DAILY_WORK:TEACHER_REPORT"), event.getList("reasons.code"));
        assertFalse(request.value().contains("甲个案") || request.value().contains("作业本"), "no name and no note on the topic");

        // a second report about the same student updates the open case: no second case, no second referral
        open("W1", "PARENT_REPORT", "MODERATE", "家长反映孩子近一周失眠", null).then().statusCode(200)
                .body("riskCase.id", equalTo(caseId)).body("riskCase.riskLevel", equalTo("CRITICAL"));
        long requests = new KafkaProbe(bootstrap).readFor("referral.requests.v1", Duration.ofSeconds(2)).stream()
                .filter(x -> x.value().contains(caseId)).count();
        assertEquals(1, requests, "one referral request for the case");

        // steps: an exception needs a note; a recorded step stays recorded; closing waits for every critical step
        step(caseId, Map.of("code", "GUARDIAN_CONTACTED", "outcome", "EXCEPTION", "exceptionCode", "GUARDIAN_UNREACHABLE")).then().statusCode(422);
        step(caseId, Map.of("code", "GUARDIAN_CONTACTED", "outcome", "EXCEPTION", "exceptionCode", "GUARDIAN_UNREACHABLE",
                "note", "监护人电话三次无人接听，已短信留言")).then().statusCode(200)
                .body("steps.find { it.code == 'GUARDIAN_CONTACTED' }.outcome", equalTo("EXCEPTION"));
        step(caseId, Map.of("code", "GUARDIAN_CONTACTED", "outcome", "DONE")).then().statusCode(409);
        step(caseId, Map.of("code", "NO_SUCH_STEP", "outcome", "DONE")).then().statusCode(404);
        step(caseId, Map.of("code", "SAFETY_PLAN", "outcome", "DONE", "at", OffsetDateTime.now().plusHours(2).toString())).then().statusCode(422);
        given().auth().oauth2(COUNSELOR).contentType("application/json").body(Map.of("kind", "CLOSE", "note", "已转医院"))
                .post("/api/risk-queue/" + caseId + "/notes").then().statusCode(409).body("type", containsString("open-critical-step"));
        for (String code : List.of("STAY_AND_INFORM_SAFETY_LEAD", "REFERRAL_SENT", "SAFETY_PLAN")) {
            step(caseId, Map.of("code", code, "outcome", "DONE", "how", "IN_PERSON")).then().statusCode(200);
        }
        given().auth().oauth2(COUNSELOR).contentType("application/json").body(Map.of("kind", "CLOSE", "note", "已转医院，安全计划已落实"))
                .post("/api/risk-queue/" + caseId + "/notes").then().statusCode(200).body("status", equalTo("CLOSED"));
        given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/risk-queue?status=CLOSED").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.hasItem(caseId)); // saved, not only answered
        given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/risk-queue").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(caseId)));

        // the bureau's care-loop figures come from screening.casework.v1: every change once, in order, without identity or notes
        List<ConsumerRecord<String, String>> casework = new KafkaProbe(bootstrap).readUntil("screening.casework.v1", Duration.ofSeconds(20),
                        r -> r.stream().anyMatch(x -> x.value().contains(caseId) && x.value().contains("CLOSED")))
                .stream().filter(x -> x.key().equals(caseId)).toList();
        for (ConsumerRecord<String, String> r : casework) {
            ContractValidator.load().assertConforms("screening.casework.v1", KafkaProbe.headers(r), r.value());
            assertFalse(r.value().contains("甲个案") || r.value().contains("W1") || r.value().contains("监护人电话"), "no identity, no note");
        }
        assertEquals(List.of("SCHEDULED", "STEP_RECORDED", "STEP_RECORDED", "STEP_RECORDED", "STEP_RECORDED", "CLOSED"),
                casework.stream().map(r -> JsonPath.from(r.value()).getString("kind")).toList());
        JsonPath first = JsonPath.from(casework.get(0).value());
        assertEquals(true, first.getBoolean("opened"));
        assertEquals("TEACHER_REPORT", first.getString("source"));
        assertEquals(4, first.getList("steps").size());
        JsonPath guardian = JsonPath.from(casework.get(1).value());
        assertEquals("GUARDIAN_CONTACTED", guardian.getString("steps[0].code"));
        assertEquals("GUARDIAN_UNREACHABLE", guardian.getString("steps[0].exceptionCode"));

        given().auth().oauth2(TestTokens.counselor("S370811399", "370811")).get("/api/cases/" + caseId).then().statusCode(404);
        given().auth().oauth2(TestTokens.counselor("S370811399", "370811")).contentType("application/json")
                .body(Map.of("studentNumber", "W1", "source", "DAILY_WORK", "riskLevel", "HIGH", "note", "x"))
                .post("/api/schools/" + SCHOOL + "/cases").then().statusCode(404);
        open("NOBODY", "DAILY_WORK", "HIGH", "x", null).then().statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("studentNumber"));
        open("W1", "GOSSIP", "HIGH", "x", null).then().statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("source"));
    }

    @Test
    void anAsqAskedInPersonRaisesTheLevelByTheSameRules() {
        roster();
        // questions 1-4: one yes; question 5 ("right now"): yes -> acute positive -> CRITICAL whatever the counsellor chose
        open("W3", "DAILY_WORK", "MODERATE", "心理课后学生主动求助", new int[]{0, 0, 1, 0, 1}).then().statusCode(201)
                .body("riskCase.riskLevel", equalTo("CRITICAL"))
                .body("riskCase.reasons.code", org.hamcrest.Matchers.hasItem("ASQ:acute-positive"));
        open("W3", "DAILY_WORK", "MODERATE", "x", new int[]{0, 7, 0, 0}).then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("asqAnswers"));
    }

    @Test
    void anOverdueStepEscalatesToTheSchoolAdminThenTheBureauExactlyOnceWithoutIdentity() {
        roster();
        OffsetDateTime opened = OffsetDateTime.now();
        String caseId = open("W2", "PEER_REPORT", "MODERATE", "同学反映其情绪低落", null).then().statusCode(201)
                .extract().path("riskCase.id");
        // MODERATE: a counselling session within 7 days, a review within 30
        assertEquals(List.of(), given().auth().oauth2(COUNSELOR).get("/api/cases/" + caseId).then().statusCode(200)
                .extract().<List<Object>>path("steps.findAll { it.escalation != 'NONE' }"));

        OffsetDateTime late = opened.plusDays(8);
        CaseClocks.Pass first = clocks.check(late);
        assertTrue(first.schoolAdmin() >= 1, "at least this case's session step: " + first);
        assertEquals(new CaseClocks.Pass(0, 0), clocks.check(late), "a second pass at the same time flags nothing again");
        JsonPath afterFirst = given().auth().oauth2(COUNSELOR).get("/api/cases/" + caseId).then().extract().jsonPath();
        String session = "steps.find { it.code == 'COUNSELLING_SESSION' }";
        assertNotNull(afterFirst.getString(session + ".schoolAdminAlertedAt"));
        assertNull(afterFirst.getString(session + ".bureauAlertedAt"));
        assertNull(afterFirst.getString("steps.find { it.code == 'REVIEW' }.schoolAdminAlertedAt"), "the review is not due yet");

        OffsetDateTime later = opened.plusDays(9);
        assertTrue(clocks.check(later).bureau() >= 1);
        assertEquals(0, clocks.check(later).bureau(), "the bureau hears of a step once");
        JsonPath afterSecond = given().auth().oauth2(COUNSELOR).get("/api/cases/" + caseId).then().extract().jsonPath();
        assertEquals(afterFirst.getString(session + ".schoolAdminAlertedAt"), afterSecond.getString(session + ".schoolAdminAlertedAt"),
                "the school admin's flag keeps its first time");
        assertNotNull(afterSecond.getString(session + ".bureauAlertedAt"));

        // each escalation is an event for notification-service: the step, who it went to, once per level, no identity
        List<ConsumerRecord<String, String>> overdue = new KafkaProbe(bootstrap).readUntil("screening.casework.v1", Duration.ofSeconds(20),
                rs -> rs.stream().filter(r -> caseId.equals(r.key()) && r.value().contains("STEP_OVERDUE")).count() >= 2).stream()
                .filter(r -> caseId.equals(r.key()) && r.value().contains("\"STEP_OVERDUE\"") && r.value().contains("COUNSELLING_SESSION")).toList();
        assertEquals(List.of("SCHOOL_ADMIN", "BUREAU"), overdue.stream().map(r -> {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.value()).path("escalatedTo").asText();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList());
        for (ConsumerRecord<String, String> r : overdue) {
            ContractValidator.load().assertConforms("screening.casework.v1", KafkaProbe.headers(r), r.value());
            assertFalse(r.value().contains("W2") || r.value().contains("乙个案"), "no student in an escalation");
        }

        String alerts = given().auth().oauth2(TestTokens.analyst("370811")).get("/api/care-alerts?districtCode=370811").then().statusCode(200)
                .extract().asString();
        assertTrue(alerts.contains("\"schoolId\":\"" + SCHOOL + "\"") && alerts.contains("COUNSELLING_SESSION"), alerts);
        assertFalse(alerts.contains("乙个案") || alerts.contains("W2") || alerts.contains(caseId), "no identity in a bureau alert");
        given().auth().oauth2(TestTokens.analyst("370812")).get("/api/care-alerts?districtCode=370811").then().statusCode(403);
        given().auth().oauth2(COUNSELOR).get("/api/care-alerts?districtCode=370811").then().statusCode(403);

        // recorded: no further escalation, and the step leaves the bureau's list
        step(caseId, Map.of("code", "COUNSELLING_SESSION", "outcome", "DONE", "how", "IN_PERSON", "note", "个体辅导 45 分钟")).then().statusCode(200)
                .body("steps.find { it.code == 'COUNSELLING_SESSION' }.escalation", equalTo("NONE"));
        assertFalse(given().auth().oauth2(TestTokens.analyst("370811")).get("/api/care-alerts?districtCode=370811").asString()
                .contains("COUNSELLING_SESSION\",\"dueAt\":\"" + afterSecond.getString(session + ".dueAt")), "a done step is no alert");
    }

    @Test
    void aSessionsPrivateNotesStayWithTheCounsellorsAndAWorseAssessmentRaisesTheCase() {
        roster();
        String planted = "PRIVATE-NOTE-" + java.util.UUID.randomUUID();
        String caseId = open("W4", "DAILY_WORK", "MODERATE", "学生主动预约心理辅导", null).then().statusCode(201)
                .body("riskCase.riskLevel", equalTo("MODERATE")).extract().path("riskCase.id");
        String today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
        Map<String, Object> session = new HashMap<>(Map.of("heldOn", today, "minutes", 45, "kind", "INDIVIDUAL", "riskLevel", "MODERATE",
                "safetyConcern", false, "progress", "UNCHANGED", "privateNotes", planted + " 家庭矛盾，父母离异"));
        given().auth().oauth2(COUNSELOR).contentType("application/json").body(session).post("/api/cases/" + caseId + "/sessions")
                .then().statusCode(201).body("privateNotes", containsString(planted));
        given().auth().oauth2(COUNSELOR).get("/api/cases/" + caseId + "/sessions").then().statusCode(200)
                .body("[0].privateNotes", containsString(planted));
        given().auth().oauth2(COUNSELOR).get("/api/cases/" + caseId).then()
                .body("steps.find { it.code == 'COUNSELLING_SESSION' }.outcome", equalTo("DONE"));
        String admin = TestTokens.as("admin-" + SCHOOL, "school-admin").school(SCHOOL).district("370811").token();
        String asAdmin = given().auth().oauth2(admin).get("/api/cases/" + caseId + "/sessions").then().statusCode(200).extract().asString();
        assertFalse(asAdmin.contains(planted), "a school admin sees the session, not its private notes: " + asAdmin);
        assertTrue(asAdmin.contains("\"minutes\":45"), asAdmin);
        given().auth().oauth2(admin).contentType("application/json").body(session).post("/api/cases/" + caseId + "/sessions").then().statusCode(403);
        given().auth().oauth2(TestTokens.counselor("S370811399", "370811")).get("/api/cases/" + caseId + "/sessions").then().statusCode(404);
        Map<String, Object> tomorrow = new HashMap<>(session);
        tomorrow.put("heldOn", java.time.LocalDate.parse(today).plusDays(2).toString());
        given().auth().oauth2(COUNSELOR).contentType("application/json").body(tomorrow).post("/api/cases/" + caseId + "/sessions").then().statusCode(422);

        String record = given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/students/W4/care-record").then().statusCode(200).extract().asString();
        assertTrue(record.contains("\"kind\":\"SESSION\""), record);
        assertFalse(record.contains(planted), "the care record lists the session, never its private notes");

        // a session that finds the student worse, at CRITICAL: the case rises, its critical steps start, the hospital hears
        Map<String, Object> worse = new HashMap<>(session);
        worse.putAll(Map.of("riskLevel", "CRITICAL", "safetyConcern", true, "progress", "WORSE", "privateNotes", planted));
        given().auth().oauth2(COUNSELOR).contentType("application/json").body(worse).post("/api/cases/" + caseId + "/sessions").then().statusCode(201);
        JsonPath raised = given().auth().oauth2(COUNSELOR).get("/api/cases/" + caseId).then().statusCode(200).extract().jsonPath();
        assertEquals("CRITICAL", raised.getString("riskCase.riskLevel"));
        assertTrue(raised.getList("steps.code").contains("SAFETY_PLAN"), raised.getList("steps.code").toString());

        for (String topic : List.of("referral.requests.v1", "screening.results.v1", "screening.casework.v1", "directory.schools.v1")) {
            for (ConsumerRecord<String, String> r : new KafkaProbe(bootstrap).readFor(topic, Duration.ofSeconds(2))) {
                assertFalse(r.value().contains(planted), "a private note on " + topic);
            }
        }
        assertEquals(0L, ((Number) io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select count(*) from audit_log where purpose like ?1 or resource_id like ?1").setParameter(1, "%" + planted + "%")
                .getSingleResult())).longValue(), "no private note in the audit log");
    }

    private static io.restassured.response.Response step(String caseId, Map<String, Object> body) {
        return given().auth().oauth2(COUNSELOR).contentType("application/json").body(body).post("/api/cases/" + caseId + "/steps");
    }
}
