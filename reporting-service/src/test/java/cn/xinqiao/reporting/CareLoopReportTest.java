package cn.xinqiao.reporting;

import cn.xinqiao.contracts.ContractValidator;
import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The care-loop report from screening.casework.v1 and referral.status.v1 over real Kafka: a hand-built county whose
 * every figure is known (steps on time, a case closed before its deadline, guardian contact, follow-ups on time and
 * late, returns with and without a summary, a discharge without a referral that is not counted as a referral).
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class CareLoopReportTest {

    static final String COUNTY = "371002";   // a city of its own: the other tests' city-wide figures stay theirs
    static final String SCHOOL = "S371002001";
    static final String OTHER_SCHOOL = "S371002002";
    static final ContractValidator CONTRACTS = ContractValidator.load();
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EntityManager em;

    final List<UUID> sent = new ArrayList<>();
    KafkaProbe kafka;

    @Test
    void theCountysCareLoopFiguresAreTheHandComputedOnes() {
        kafka = new KafkaProbe(bootstrap);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        OffsetDateTime t = now.minusDays(20);
        for (String school : List.of(SCHOOL, OTHER_SCHOOL)) {
            send("directory.schools.v1", school, "cn.xinqiao.directory.school.v1", """
                    {"schoolId":"%s","name":"闭环测试学校%s","districtCode":"%s","cityCode":"371000","enrolment":[{"grade":8,"sex":"FEMALE","count":40}],
                     "total":40,"updatedAt":"%s"}""".formatted(school, school.substring(8), COUNTY, t.minusDays(30)));
        }
        UUID[] c = new UUID[7];
        for (int i = 1; i <= 6; i++) {
            c[i] = UUID.randomUUID();
        }
        // four critical cases from screening: guardian within an hour, safety plan within a day
        for (int i = 1; i <= 4; i++) {
            casework(c[i], "SCHEDULED", "SCREENING", "CRITICAL", t, ",\"opened\":true,\"steps\":[" + step("GUARDIAN_CONTACTED", t.plusHours(1), null, null, null)
                    + "," + step("SAFETY_PLAN", t.plusHours(24), null, null, null) + "]");
        }
        recorded(c[1], "GUARDIAN_CONTACTED", t.plusHours(1), t.plusMinutes(30), "DONE", null);           // on time
        recorded(c[1], "SAFETY_PLAN", t.plusHours(24), t.plusHours(20), "DONE", null);                    // on time
        recorded(c[2], "GUARDIAN_CONTACTED", t.plusHours(1), t.plusHours(2), "DONE", null);               // late
        recorded(c[3], "GUARDIAN_CONTACTED", t.plusHours(1), t.plusMinutes(50), "EXCEPTION", "GUARDIAN_UNREACHABLE"); // handled, not contacted
        casework(c[4], "CLOSED", "SCREENING", "CRITICAL", t.plusMinutes(10), "");                        // closed before its deadlines
        // two moderate cases from daily work: a session within 7 days
        for (int i = 5; i <= 6; i++) {
            casework(c[i], "SCHEDULED", "DAILY_WORK", "MODERATE", t, ",\"opened\":true,\"steps\":[" + step("COUNSELLING_SESSION", t.plusDays(7), null, null, null) + "]");
        }
        recorded(c[5], "COUNSELLING_SESSION", t.plusDays(7), t.plusDays(3), "DONE", null);
        // follow-ups after the hospital's return: one on time (worse), one late (improved), one never done, one not yet due
        LocalDate day = t.atZoneSameInstant(CHINA).toLocalDate();
        UUID f1 = UUID.randomUUID(), f2 = UUID.randomUUID(), f3 = UUID.randomUUID(), f4 = UUID.randomUUID();
        casework(c[1], "FOLLOW_UPS_PLANNED", "SCREENING", "CRITICAL", t, ",\"followUps\":[" + followUp(f1, day.plusDays(7), "SCHOOL", null, null)
                + "," + followUp(f2, day.plusDays(30), "HOSPITAL", null, null) + "]");
        casework(c[2], "FOLLOW_UPS_PLANNED", "SCREENING", "CRITICAL", t, ",\"followUps\":[" + followUp(f3, day.plusDays(7), "SCHOOL", null, null) + "]");
        casework(c[5], "FOLLOW_UPS_PLANNED", "DAILY_WORK", "MODERATE", t, ",\"followUps\":[" + followUp(f4, day.plusDays(14), "HOSPITAL", null, null) + "]");
        casework(c[1], "FOLLOW_UP_RECORDED", "SCREENING", "CRITICAL", t.plusDays(6), ",\"followUps\":[" + followUp(f1, day.plusDays(7), "SCHOOL", t.plusDays(6), "WORSE") + "]");
        casework(c[2], "FOLLOW_UP_RECORDED", "SCREENING", "CRITICAL", t.plusDays(9), ",\"followUps\":[" + followUp(f3, day.plusDays(7), "SCHOOL", t.plusDays(9), "IMPROVED") + "]");
        // returns: one referral with a summary, one without, one discharge that began outside the platform
        UUID r1 = UUID.randomUUID(), r2 = UUID.randomUUID(), r3 = UUID.randomUUID();
        status(r1, "completed", "seen", t, t.plusDays(2), ",\"returnSummary\":{\"medication\":false,\"followUpPlan\":[{\"afterDays\":7,\"by\":\"SCHOOL\"}]}");
        status(r2, "completed", "seen", t, t.plusDays(3), "");
        status(r3, "completed", "returned", t.plusDays(1), t.plusDays(1), ",\"origin\":\"HOSPITAL_RETURN\",\"returnSummary\":{\"medication\":true}");
        // hotline callbacks promised in the county: one made before its day ended, one two days late, one never, one not yet due
        UUID k1 = call(t, t.plusDays(1));
        UUID k2 = call(t, t.plusDays(2));
        call(t, t.plusDays(3));
        call(t, now.plusDays(5));
        callback(k1, t.plusDays(1), t.plusDays(1).minusHours(1), "REACHED");
        callback(k2, t.plusDays(2), t.plusDays(4), "NO_ANSWER");
        ReportingFlowTest.await(() -> processed() == sent.size(), "every care-loop event processed");

        String analyst = TestTokens.analyst("371000");
        String period = "&from=" + now.minusDays(30).atZoneSameInstant(CHINA).toLocalDate() + "&to=" + now.atZoneSameInstant(CHINA).toLocalDate();
        JsonNode city = read(given().auth().oauth2(analyst).get("/api/reports/care-loop?level=city&code=371000" + period)
                .then().statusCode(200).extract().asString());
        JsonNode cases = ReportingFlowTest.table(city, "cases-by-source");
        assertEquals(4, ReportingFlowTest.count(ReportingFlowTest.cell(cases, COUNTY, "screening")));
        assertEquals(2, ReportingFlowTest.count(ReportingFlowTest.cell(cases, COUNTY, "dailyWork")));
        assertEquals(6, ReportingFlowTest.count(ReportingFlowTest.cell(cases, COUNTY, "total")));

        JsonNode procedure = ReportingFlowTest.table(city, "procedure");
        assertEquals(8, ReportingFlowTest.count(ReportingFlowTest.cell(procedure, COUNTY, "steps")), "case 4 closed before its deadlines");
        assertEquals(4, ReportingFlowTest.count(ReportingFlowTest.cell(procedure, COUNTY, "onTime")));
        assertEquals("50.0%", ReportingFlowTest.cell(procedure, COUNTY, "onTimeRate").path("display").asText());
        assertEquals(3, ReportingFlowTest.count(ReportingFlowTest.cell(procedure, COUNTY, "guardian")));
        assertEquals(1, ReportingFlowTest.count(ReportingFlowTest.cell(procedure, COUNTY, "guardianOnTime")), "an exception is not a contact");

        JsonNode followUps = ReportingFlowTest.table(city, "follow-ups");
        assertEquals(3, ReportingFlowTest.count(ReportingFlowTest.cell(followUps, COUNTY, "due")), "the 30-day one is not due yet");
        assertEquals(1, ReportingFlowTest.count(ReportingFlowTest.cell(followUps, COUNTY, "onTime")));
        assertEquals(1, ReportingFlowTest.count(ReportingFlowTest.cell(followUps, COUNTY, "WORSE")));
        assertEquals(1, ReportingFlowTest.count(ReportingFlowTest.cell(followUps, COUNTY, "IMPROVED")));

        JsonNode callbacks = ReportingFlowTest.table(city, "hotline-callbacks");
        assertEquals(3, ReportingFlowTest.count(ReportingFlowTest.cell(callbacks, COUNTY, "due")), "the one five days away is not due");
        assertEquals(1, ReportingFlowTest.count(ReportingFlowTest.cell(callbacks, COUNTY, "onTime")));
        assertEquals(1, ReportingFlowTest.count(ReportingFlowTest.cell(callbacks, COUNTY, "reached")));

        JsonNode returns = ReportingFlowTest.table(city, "returns");
        assertEquals(2, ReportingFlowTest.count(ReportingFlowTest.cell(returns, COUNTY, "completed")));
        assertEquals(1, ReportingFlowTest.count(ReportingFlowTest.cell(returns, COUNTY, "withSummary")));
        assertEquals(1, ReportingFlowTest.count(ReportingFlowTest.cell(returns, COUNTY, "discharged")));
        JsonNode referrals = read(given().auth().oauth2(analyst).get("/api/reports/referrals?level=city&code=371000" + period)
                .then().statusCode(200).extract().asString());
        assertEquals(2, ReportingFlowTest.count(ReportingFlowTest.cell(ReportingFlowTest.table(referrals, "by-area"), COUNTY, "requested")),
                "a discharge without a referral is not a green-channel referral");

        // the school's own report: its steps by step; small counts hidden there
        JsonNode school = read(given().auth().oauth2(TestTokens.counselor(SCHOOL, COUNTY)).get("/api/reports/care-loop?level=school&code=" + SCHOOL + period)
                .then().statusCode(200).extract().asString());
        ReportingFlowTest.assertShown(3, ReportingFlowTest.cell(ReportingFlowTest.table(school, "procedure"), "GUARDIAN_CONTACTED", "steps"));
        given().auth().oauth2(TestTokens.counselor(OTHER_SCHOOL, COUNTY)).get("/api/reports/care-loop?level=school&code=" + SCHOOL + period)
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.analyst("370800")).get("/api/reports/care-loop?level=county&code=" + COUNTY + period).then().statusCode(403);
    }

    private static String step(String code, OffsetDateTime due, OffsetDateTime done, String outcome, String exception) {
        return "{\"code\":\"" + code + "\",\"dueAt\":\"" + due + "\"" + (done == null ? "" : ",\"doneAt\":\"" + done + "\",\"outcome\":\"" + outcome + "\"")
                + (exception == null ? "" : ",\"exceptionCode\":\"" + exception + "\"") + "}";
    }

    private static String followUp(UUID id, LocalDate due, String by, OffsetDateTime done, String outcome) {
        return "{\"followUpId\":\"" + id + "\",\"dueOn\":\"" + due + "\",\"by\":\"" + by + "\""
                + (done == null ? "" : ",\"doneAt\":\"" + done + "\",\"outcome\":\"" + outcome + "\"") + "}";
    }

    private void recorded(UUID caseId, String code, OffsetDateTime due, OffsetDateTime done, String outcome, String exception) {
        boolean daily = code.equals("COUNSELLING_SESSION");
        casework(caseId, "STEP_RECORDED", daily ? "DAILY_WORK" : "SCREENING", daily ? "MODERATE" : "CRITICAL", done,
                ",\"steps\":[" + step(code, due, done, outcome, exception) + "]");
    }

    private void casework(UUID caseId, String kind, String source, String risk, OffsetDateTime at, String rest) {
        send("screening.casework.v1", caseId.toString(), "cn.xinqiao.screening.casework.v1", """
                {"kind":"%s","caseId":"%s","schoolId":"%s","districtCode":"%s","source":"%s","riskLevel":"%s","occurredAt":"%s"%s}"""
                .formatted(kind, caseId, SCHOOL, COUNTY, source, risk, at, rest));
    }

    private UUID call(OffsetDateTime at, OffsetDateTime callbackDue) {
        UUID id = UUID.randomUUID();
        send("hotline.calls.v1", id.toString(), "cn.xinqiao.hotline.call.v1", """
                {"callId":"%s","startedAt":"%s","endedAt":"%s","durationSeconds":600,"channel":"PHONE","callerType":"PARENT",
                 "districtCode":"%s","categories":["family.parent-conflict"],"riskLevel":"LOW","actions":["FOLLOW_UP_SCHEDULED"],
                 "repeatCaller":false,"callbackDueAt":"%s"}""".formatted(id, at, at.plusMinutes(10), COUNTY, callbackDue));
        return id;
    }

    private void callback(UUID call, OffsetDateTime due, OffsetDateTime done, String outcome) {
        send("hotline.callbacks.v1", call.toString(), "cn.xinqiao.hotline.callback.v1", """
                {"callId":"%s","districtCode":"%s","dueAt":"%s","doneAt":"%s","outcome":"%s"}""".formatted(call, COUNTY, due, done, outcome));
    }

    private void status(UUID referral, String status, String business, OffsetDateTime requested, OffsetDateTime at, String rest) {
        send("referral.status.v1", referral.toString(), "cn.xinqiao.referral.status.v1", """
                {"referralId":"%s","studentKey":"Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg","schoolId":"%s","districtCode":"%s",
                 "hospitalId":"H370800001","riskLevel":"MODERATE","status":"%s","businessStatus":"%s","requestedAt":"%s","occurredAt":"%s"%s}"""
                .formatted(referral, SCHOOL, COUNTY, status, business, requested, at, rest));
    }

    private void send(String topic, String key, String type, String data) {
        List<String> violations = CONTRACTS.validateData(topic, read(data));
        assertEquals(List.of(), violations, "the test's event breaks the contract of " + topic);
        UUID id = UUID.randomUUID();
        kafka.sendCloudEvent(topic, key, id, type, data);
        sent.add(id);
    }

    private long processed() {
        return ((Number) io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select count(*) from inbox where event_id in ?1").setParameter(1, sent).getSingleResult())).longValue();
    }

    private static JsonNode read(String json) {
        return ReportingFlowTest.read(json);
    }
}
