package cn.xinqiao.hotline;

import cn.xinqiao.contracts.ContractValidator;
import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The call record through real PostgreSQL and Kafka: autosave, close once, escalation, repeat callers, who sees what. */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class HotlineFlowTest {

    static final String CITY = "370800";
    static final String OPERATOR = TestTokens.as("op-wang", "hotline-operator").district(CITY).token();
    static final String OTHER_OPERATOR = TestTokens.as("op-li", "hotline-operator").district(CITY).token();
    static final String SUPERVISOR = TestTokens.as("sup-zhao", "hotline-supervisor").district(CITY).token();
    static final ContractValidator CONTRACTS = ContractValidator.load();
    static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EntityManager em;

    @Inject
    cn.xinqiao.hotline.shift.CoverageCheck coverage;

    static String start(String token, Map<String, ?> body) {
        return given().auth().oauth2(token).contentType("application/json").body(body).post("/api/calls")
                .then().statusCode(201).body("status", equalTo("OPEN")).extract().path("id");
    }

    static io.restassured.response.ValidatableResponse patch(String token, String id, Map<String, ?> body) {
        return given().auth().oauth2(token).contentType("application/json").body(body).patch("/api/calls/" + id).then();
    }

    static io.restassured.response.ValidatableResponse close(String token, String id) {
        return given().auth().oauth2(token).contentType("application/json").post("/api/calls/" + id + "/close").then();
    }

    @Test
    void anErasedStudentsCallsLoseTheirNumberAndNotesAndStayCounted() throws Exception {
        String erased = start(OPERATOR, Map.of("channel", "PHONE", "callerPhone", "138 0013 8111"));
        patch(OPERATOR, erased, Map.of("callerType", "STUDENT", "identified", true, "schoolId", "S370811003", "studentNumber", "ER-2024-9",
                "notes", "学生诉说家庭矛盾，约定明日回访")).statusCode(200);
        patch(OPERATOR, erased, Map.of("categories", List.of("family.parent-conflict"), "riskLevel", "LOW")).statusCode(200);
        close(OPERATOR, erased).statusCode(200);
        String other = start(OPERATOR, Map.of("channel", "PHONE", "callerPhone", "138 0013 8112"));
        patch(OPERATOR, other, Map.of("callerType", "STUDENT", "identified", true, "schoolId", "S370811003", "studentNumber", "ER-2024-10",
                "notes", "另一位学生")).statusCode(200);
        patch(OPERATOR, other, Map.of("categories", List.of("school.exam-stress"), "riskLevel", "LOW")).statusCode(200);
        close(OPERATOR, other).statusCode(200);

        String secret = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("xinqiao.pseudonym.secret", String.class);
        String key = new cn.xinqiao.platform.pseudonym.Pseudonyms(secret).studentKey("S370811003", "ER-2024-9");
        UUID erasure = UUID.randomUUID();
        String event = "{\"erasureId\":\"" + erasure + "\",\"studentKey\":\"" + key + "\",\"schoolId\":\"S370811003\",\"districtCode\":\"370811\","
                + "\"requestedAt\":\"2026-11-20T09:00:00Z\",\"erasedAt\":\"2026-11-21T09:00:00Z\"}";
        assertEquals(List.of(), CONTRACTS.validateData("screening.erasures.v1", JSON.readTree(event)));
        new KafkaProbe(bootstrap).sendCloudEvent("screening.erasures.v1", key, erasure, "cn.xinqiao.screening.erasure.v1", event);
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        while (java.time.Instant.now().isBefore(deadline) && ((Number) em.createNativeQuery("select count(*) from inbox where event_id = ?1")
                .setParameter(1, erasure).getSingleResult()).longValue() == 0) {
            Thread.sleep(200);
        }
        Object[] row = (Object[]) em.createNativeQuery("select student_number, notes, identified, status from call_record where id = cast(?1 as uuid)")
                .setParameter(1, erased).getSingleResult();
        assertEquals(java.util.Arrays.asList(null, null, false, "CLOSED"), java.util.Arrays.asList(row));
        Object[] kept = (Object[]) em.createNativeQuery("select student_number, notes from call_record where id = cast(?1 as uuid)")
                .setParameter(1, other).getSingleResult();
        assertEquals(List.of("ER-2024-10", "另一位学生"), java.util.Arrays.asList(kept), "another student's call is untouched");
    }

    @Test
    void aClosedCriticalCallOfAnIdentifiedStudentRaisesExactlyOneReferralRequest() throws Exception {
        String id = start(OPERATOR, Map.of("channel", "PHONE", "callerPhone", "138 0013 8000"));
        patch(OPERATOR, id, Map.of("callerType", "STUDENT", "ageBand", "13_15", "sex", "FEMALE")).statusCode(200);
        patch(OPERATOR, id, Map.of("identified", true, "schoolId", "S370811001", "studentNumber", "20240107")).statusCode(200);
        patch(OPERATOR, id, Map.of("categories", List.of("mental-health.suicidal-thoughts", "school.exam-stress"))).statusCode(200);
        Map<String, Object> answers = new HashMap<>(Map.of("wishedDead", true, "betterOffDead", true, "suicidalThoughts", true,
                "triedBefore", false, "thoughtsNow", true, "distress", "SEVERE"));
        patch(OPERATOR, id, Map.of("riskAnswers", answers, "actions", List.of("COUNSELLING", "SAFETY_PLAN", "REFERRAL"),
                "notes", "来电学生表示今晚想结束生命，已做安全计划，转介绿色通道")).statusCode(200)
                .body("riskComputed", equalTo("CRITICAL")).body("riskLevel", equalTo("CRITICAL"));
        // the answers set the floor: the operator may not lower it
        patch(OPERATOR, id, Map.of("riskLevel", "MODERATE")).statusCode(400).body("errors.field", hasItem("riskLevel"));

        close(OPERATOR, id).statusCode(200).body("status", equalTo("CLOSED")).body("referralRequestId", org.hamcrest.Matchers.notNullValue());
        close(OPERATOR, id).statusCode(200).body("status", equalTo("CLOSED"));   // again: nothing new
        patch(OPERATOR, id, Map.of("notes", "补记")).statusCode(409).body("type", equalTo("https://xinqiao.cn/problems/call-closed"));

        KafkaProbe kafka = new KafkaProbe(bootstrap);
        List<ConsumerRecord<String, String>> requests = kafka.readUntil("referral.requests.v1", Duration.ofSeconds(20),
                rs -> rs.stream().anyMatch(r -> r.value().contains(id)));
        List<ConsumerRecord<String, String>> mine = kafka.readFor("referral.requests.v1", Duration.ofSeconds(2)).stream()
                .filter(r -> r.value().contains(id)).toList();
        assertEquals(1, mine.size(), "exactly one referral request");
        CONTRACTS.assertConforms("referral.requests.v1", KafkaProbe.headers(mine.get(0)), mine.get(0).value());
        JsonNode request = JSON.readTree(mine.get(0).value());
        assertEquals("HOTLINE", request.path("source").asText());
        assertEquals("CRITICAL", request.path("riskLevel").asText());
        assertEquals("370811", request.path("districtCode").asText());
        // the same key screening-service gives this student (student pseudonym secret, not the phone one)
        String secret = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("xinqiao.pseudonym.secret", String.class);
        assertEquals(new cn.xinqiao.platform.pseudonym.Pseudonyms(secret).studentKey("S370811001", "20240107"),
                request.path("studentKey").asText());
        assertTrue(request.path("reasons").toString().contains("HOTLINE:asq-acute-positive"));
        assertFalse(mine.get(0).value().contains("20240107") || mine.get(0).value().contains("结束生命"), "no number, no notes");
        assertTrue(requests.size() >= 1);

        List<ConsumerRecord<String, String>> events = kafka.readUntil("hotline.calls.v1", Duration.ofSeconds(20),
                rs -> rs.stream().anyMatch(r -> r.value().contains(id)));
        List<ConsumerRecord<String, String>> callEvents = events.stream().filter(r -> r.value().contains(id)).toList();
        assertEquals(1, callEvents.size());
        CONTRACTS.assertConforms("hotline.calls.v1", KafkaProbe.headers(callEvents.get(0)), callEvents.get(0).value());
        JsonNode event = JSON.readTree(callEvents.get(0).value());
        assertTrue(event.path("escalated").asBoolean());
        assertEquals("S370811001", event.path("schoolId").asText());
        // the number as typed and as digits (a bare "138" would also match an id or a time in the event)
        assertFalse(callEvents.get(0).value().contains("13800138000") || callEvents.get(0).value().contains("138 0013 8000"),
                "no phone number in the event");
    }

    @Test
    void aCallCannotCloseWithoutRiskLevelAndCategoriesAndBadFieldsChangeNothing() {
        String id = start(OPERATOR, Map.of("channel", "WECHAT"));
        close(OPERATOR, id).statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItems("riskLevel", "categories", "callerType"));
        patch(OPERATOR, id, Map.of("callerType", "PARENT", "categories", List.of("family.no-such-thing"))).statusCode(400)
                .body("errors.field", hasItem("categories"));
        given().auth().oauth2(OPERATOR).get("/api/calls/" + id).then().statusCode(200)
                .body("callerType", org.hamcrest.Matchers.nullValue()).body("categories", hasSize(0));
        patch(OPERATOR, id, Map.of("callerType", "PARENT", "categories", List.of("family.parent-conflict"), "riskLevel", "LOW"))
                .statusCode(200);
        close(OPERATOR, id).statusCode(200).body("status", equalTo("CLOSED")).body("endedAt", org.hamcrest.Matchers.notNullValue())
                .body("elapsedSeconds", org.hamcrest.Matchers.greaterThanOrEqualTo(0)).body("categories", hasItem("family.parent-conflict"));
    }

    @Test
    void promisedCallbacksDueWithinADayAreListedOverdueFirstForWhoMaySeeTheCall() {
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
        String overdue = start(OPERATOR, Map.of());
        patch(OPERATOR, overdue, Map.of("callerType", "PARENT", "categories", List.of("family.parent-conflict"), "riskLevel", "LOW",
                "actions", List.of("FOLLOW_UP_SCHEDULED"), "followUpAt", now.minusHours(2).toString())).statusCode(200);
        close(OPERATOR, overdue).statusCode(200);
        String soon = start(OPERATOR, Map.of());
        patch(OPERATOR, soon, Map.of("callerType", "STUDENT", "categories", List.of("school.exam-stress"), "riskLevel", "LOW",
                "actions", List.of("FOLLOW_UP_SCHEDULED"), "followUpAt", now.plusHours(5).toString())).statusCode(200);
        close(OPERATOR, soon).statusCode(200);
        String nextWeek = start(OPERATOR, Map.of());
        patch(OPERATOR, nextWeek, Map.of("callerType", "STUDENT", "categories", List.of("school.exam-stress"), "riskLevel", "LOW",
                "actions", List.of("FOLLOW_UP_SCHEDULED"), "followUpAt", now.plusDays(7).toString())).statusCode(200);
        close(OPERATOR, nextWeek).statusCode(200);

        List<String> due = given().auth().oauth2(OPERATOR).get("/api/calls/follow-ups").then().statusCode(200)
                .body("[0]", not(org.hamcrest.Matchers.hasKey("notes"))).extract().path("id");
        assertTrue(due.indexOf(overdue) >= 0 && due.indexOf(soon) > due.indexOf(overdue), "overdue first, then due today: " + due);
        assertFalse(due.contains(nextWeek), "a callback a week away is not due yet");
        String offShift = TestTokens.as("op-zhou", "hotline-operator").district(CITY).token(); // on no shift of this test run
        assertFalse(given().auth().oauth2(offShift).get("/api/calls/follow-ups").then().statusCode(200)
                .extract().<List<String>>path("id").contains(overdue), "an operator who neither took the call nor was on its shift");
        assertTrue(given().auth().oauth2(SUPERVISOR).get("/api/calls/follow-ups").then().statusCode(200)
                .extract().<List<String>>path("id").contains(overdue), "the supervisor sees the whole hotline");
        given().auth().oauth2(TestTokens.counselor("S370811001", "370811")).get("/api/calls/follow-ups").then().statusCode(403);

        // the overdue callback is made: it leaves the list, once; the event says when it was due and when made, no note
        given().auth().oauth2(OPERATOR).contentType("application/json").body(Map.of("outcome", "PICKED_UP"))
                .post("/api/calls/" + overdue + "/callback").then().statusCode(400);
        given().auth().oauth2(OPERATOR).contentType("application/json").body(Map.of("outcome", "REACHED", "note", "家长说孩子这周睡得好些了"))
                .post("/api/calls/" + overdue + "/callback").then().statusCode(200).body("callbackOutcome", equalTo("REACHED"))
                .body("callbackNote", equalTo("家长说孩子这周睡得好些了"));
        given().auth().oauth2(OPERATOR).contentType("application/json").body(Map.of("outcome", "NO_ANSWER"))
                .post("/api/calls/" + overdue + "/callback").then().statusCode(409);
        String open = start(OPERATOR, Map.of());
        given().auth().oauth2(OPERATOR).contentType("application/json").body(Map.of("outcome", "REACHED"))
                .post("/api/calls/" + open + "/callback").then().statusCode(409);
        assertFalse(given().auth().oauth2(OPERATOR).get("/api/calls/follow-ups").then().statusCode(200)
                .extract().<List<String>>path("id").contains(overdue), "a callback made is no longer due");
        KafkaProbe kafka = new KafkaProbe(bootstrap);
        var made = kafka.readUntil("hotline.callbacks.v1", java.time.Duration.ofSeconds(20), rs -> rs.stream().anyMatch(r -> r.key().equals(overdue)))
                .stream().filter(r -> r.key().equals(overdue)).toList();
        assertEquals(1, made.size(), "one event per callback");
        CONTRACTS.assertConforms("hotline.callbacks.v1", KafkaProbe.headers(made.get(0)), made.get(0).value());
        assertFalse(made.get(0).value().contains("睡得"), "the note stays with the call");
        assertTrue(made.get(0).value().contains("REACHED"));
    }

    @Test
    void aRepeatCallerIsLinkedWithoutTheNumberBeingStored() {
        String first = start(OPERATOR, Map.of("callerPhone", "+86 139-2222-3333"));
        patch(OPERATOR, first, Map.of("callerType", "STUDENT", "categories", List.of("peers.bullying"), "riskLevel", "MODERATE",
                "actions", List.of("COUNSELLING", "FOLLOW_UP_SCHEDULED"))).statusCode(200);
        close(OPERATOR, first).statusCode(200);
        String second = start(OPERATOR, Map.of("callerPhone", "13922223333"));
        given().auth().oauth2(OPERATOR).get("/api/calls/" + second).then().statusCode(200)
                .body("callerKnown", equalTo(true))
                .body("earlierCalls.id", hasItem(first))
                .body("earlierCalls.find { it.id == '" + first + "' }.riskLevel", equalTo("MODERATE"))
                .body("earlierCalls[0]", not(org.hamcrest.Matchers.hasKey("notes")));
        // another operator, on no shift of these calls, takes the same caller: the link shows, the earlier call does not
        String offShift = TestTokens.as("op-sun", "hotline-operator").district(CITY).token();
        String third = start(offShift, Map.of("callerPhone", "139 2222 3333"));
        given().auth().oauth2(offShift).get("/api/calls/" + third).then().statusCode(200)
                .body("callerKnown", equalTo(true)).body("earlierCalls.id", not(hasItem(first)));
        given().auth().oauth2(SUPERVISOR).get("/api/calls/" + third).then().statusCode(200).body("earlierCalls.id", hasItem(first));
        long lookups = ((Number) em.createNativeQuery("select count(*) from audit_log where resource = 'hotline-caller-history' and resource_id = ?1")
                .setParameter(1, third).getSingleResult()).longValue();
        assertTrue(lookups >= 2, "each history lookup is on record: " + lookups);
        long clear = ((Number) em.createNativeQuery("select count(*) from call_record where cast(row_to_json(call_record) as text) like '%22223333%'")
                .getSingleResult()).longValue();
        assertEquals(0, clear, "the phone number is stored nowhere in clear");
    }

    @Test
    void aCriticalAnonymousCallerOpensAnEmergencyEscalationOnlyASupervisorCloses() {
        String id = start(OPERATOR, Map.of("channel", "ONLINE_CHAT", "callerType", "STUDENT"));
        patch(OPERATOR, id, Map.of("categories", List.of("mental-health.self-harm"),
                "riskAnswers", Map.of("thoughtsNow", true))).statusCode(200).body("riskLevel", equalTo("CRITICAL"));
        close(OPERATOR, id).statusCode(200).body("escalation", equalTo("OPEN"));
        given().auth().oauth2(OPERATOR).get("/api/escalations").then().statusCode(403);
        String escalation = given().auth().oauth2(SUPERVISOR).get("/api/board").then().statusCode(200)
                .body("openEscalations.callId", hasItem(id)).extract().path("openEscalations.find { it.callId == '" + id + "' }.id");
        given().auth().oauth2(SUPERVISOR).contentType("application/json").body(Map.of("resolution", "EMERGENCY_SERVICES"))
                .post("/api/escalations/" + escalation + "/close").then().statusCode(400);
        given().auth().oauth2(SUPERVISOR).contentType("application/json")
                .body(Map.of("resolution", "EMERGENCY_SERVICES", "note", "已联系110，民警到场，学生安全"))
                .post("/api/escalations/" + escalation + "/close").then().statusCode(200).body("closedBy", equalTo("sup-zhao"));
        given().auth().oauth2(SUPERVISOR).contentType("application/json").body(Map.of("resolution", "OTHER", "note", "x"))
                .post("/api/escalations/" + escalation + "/close").then().statusCode(409);
        given().auth().oauth2(SUPERVISOR).get("/api/escalations").then().statusCode(200).body("id", not(hasItem(escalation)));
    }

    @Test
    void operatorsSeeTheirShiftsCallsSupervisorsAllAndNobodyElseAny() {
        String id = start(OPERATOR, Map.of("channel", "PHONE"));
        patch(OPERATOR, id, Map.of("notes", "仅热线内部可见")).statusCode(200);
        given().auth().oauth2(OTHER_OPERATOR).get("/api/calls/" + id).then().statusCode(404);
        given().auth().oauth2(OTHER_OPERATOR).get("/api/calls").then().statusCode(200).body("id", not(hasItem(id)));
        given().auth().oauth2(SUPERVISOR).get("/api/calls/" + id).then().statusCode(200).body("notes", equalTo("仅热线内部可见"));
        given().auth().oauth2(TestTokens.as("op-x", "hotline-operator").district("370900").token()).get("/api/calls/" + id)
                .then().statusCode(404);
        given().auth().oauth2(TestTokens.as("sup-x", "hotline-supervisor").district("370900").token()).get("/api/calls/" + id)
                .then().statusCode(404);
        given().auth().oauth2(TestTokens.counselor("S370811001", "370811")).get("/api/calls/" + id).then().statusCode(403);
        given().auth().oauth2(TestTokens.analyst(CITY)).get("/api/calls").then().statusCode(403);
        given().get("/api/calls").then().statusCode(401);

        // put op-li on a shift covering the call: now it is "their shift's" call
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        given().auth().oauth2(SUPERVISOR).contentType("application/json")
                .body(Map.of("startsAt", now.minusHours(1).toString(), "endsAt", now.plusHours(7).toString(), "members", List.of(
                        Map.of("subject", "op-li", "displayName", "李老师", "role", "OPERATOR"),
                        Map.of("subject", "sup-zhao", "displayName", "赵主任", "role", "SUPERVISOR"))))
                .post("/api/shifts").then().statusCode(201);
        given().auth().oauth2(OTHER_OPERATOR).get("/api/calls/" + id).then().statusCode(200);
        given().auth().oauth2(OPERATOR).contentType("application/json")
                .body(Map.of("startsAt", now.toString(), "endsAt", now.plusHours(8).toString(), "members",
                        List.of(Map.of("subject", "op-wang", "displayName", "王", "role", "OPERATOR"))))
                .post("/api/shifts").then().statusCode(403);
    }

    @Test
    void tomorrowsGapsArePublishedOnceAndAgainWhenAShiftFillsThem() throws Exception {
        // "now" is 2030-03-04 10:00 in China: tomorrow (the 5th) has no shift at all
        OffsetDateTime now = OffsetDateTime.of(2030, 3, 4, 2, 0, 0, 0, ZoneOffset.UTC);
        assertTrue(coverage.check(now) >= 1);
        assertEquals(0, coverage.check(now), "the same answer is not published twice");
        OffsetDateTime day = OffsetDateTime.of(2030, 3, 4, 16, 0, 0, 0, ZoneOffset.UTC); // 2030-03-05 00:00 China
        String shiftId = given().auth().oauth2(SUPERVISOR).contentType("application/json")
                .body(Map.of("startsAt", day.toString(), "endsAt", day.plusHours(12).toString(), "members", List.of(
                        Map.of("subject", "op-wang", "displayName", "王老师", "role", "OPERATOR"))))
                .post("/api/shifts").then().statusCode(201).extract().path("id");
        assertEquals(1, coverage.check(now), "a shift changed the answer");
        // the shift itself is announced for notification-service: accounts and roles, no display names
        ConsumerRecord<String, String> shift = new KafkaProbe(bootstrap).readUntil("hotline.shifts.v1", Duration.ofSeconds(20),
                rs -> rs.stream().anyMatch(r -> shiftId.equals(r.key()))).stream().filter(r -> shiftId.equals(r.key())).findFirst().orElseThrow();
        CONTRACTS.assertConforms("hotline.shifts.v1", KafkaProbe.headers(shift), shift.value());
        assertTrue(shift.value().contains("op-wang") && !shift.value().contains("王老师"), shift.value());
        List<ConsumerRecord<String, String>> notices = new KafkaProbe(bootstrap).readUntil("hotline.coverage.v1", Duration.ofSeconds(20),
                rs -> rs.stream().filter(r -> "370800:2030-03-05".equals(r.key())).count() >= 2).stream()
                .filter(r -> "370800:2030-03-05".equals(r.key())).toList();
        assertEquals(2, notices.size());
        for (ConsumerRecord<String, String> r : notices) {
            CONTRACTS.assertConforms("hotline.coverage.v1", KafkaProbe.headers(r), r.value());
        }
        JsonNode before = JSON.readTree(notices.get(0).value());
        JsonNode after = JSON.readTree(notices.get(1).value());
        assertEquals(2, before.path("gaps").size(), "the whole day, without an operator and without a supervisor");
        JsonNode operatorGap = java.util.stream.StreamSupport.stream(after.path("gaps").spliterator(), false)
                .filter(g -> g.path("missing").asText().equals("OPERATOR")).findFirst().orElseThrow();
        assertEquals(day.plusHours(12).toInstant(), OffsetDateTime.parse(operatorGap.path("from").asText()).toInstant(),
                "the operator's gap is now the second half of the day only");
        assertFalse(after.toString().contains("王老师") || after.toString().contains("op-wang"), "no names on the topic");
    }

    @Test
    void theRosterShowsGapsAndCarriesHandoverNotes() {
        OffsetDateTime base = OffsetDateTime.of(2027, 1, 4, 0, 0, 0, 0, ZoneOffset.UTC);
        String night = given().auth().oauth2(SUPERVISOR).contentType("application/json")
                .body(Map.of("startsAt", base.toString(), "endsAt", base.plusHours(8).toString(), "members", List.of(
                        Map.of("subject", "op-wang", "displayName", "王老师", "role", "OPERATOR"),
                        Map.of("subject", "sup-zhao", "displayName", "赵主任", "role", "SUPERVISOR"))))
                .post("/api/shifts").then().statusCode(201).extract().path("id");
        given().auth().oauth2(SUPERVISOR).contentType("application/json")
                .body(Map.of("startsAt", base.plusHours(8).toString(), "endsAt", base.plusHours(20).toString(), "members", List.of(
                        Map.of("subject", "op-li", "displayName", "李老师", "role", "OPERATOR"))))
                .post("/api/shifts").then().statusCode(201);
        given().auth().oauth2(OPERATOR).contentType("application/json").body(Map.of("note", "3号来电者明早需回访"))
                .post("/api/shifts/" + night + "/handover").then().statusCode(201);
        given().auth().oauth2(OTHER_OPERATOR).contentType("application/json").body(Map.of("note", "x"))
                .post("/api/shifts/" + night + "/handover").then().statusCode(403);
        given().auth().oauth2(OPERATOR).get("/api/shifts?from=" + base + "&to=" + base.plusHours(24)).then().statusCode(200)
                .body("shifts", hasSize(2))
                .body("shifts[0].handovers[0].note", equalTo("3号来电者明早需回访"))
                .body("gaps.findAll { it.missing == 'OPERATOR' }.from", hasItem("2027-01-04T20:00:00Z"))
                .body("gaps.findAll { it.missing == 'OPERATOR' }.to", hasItem("2027-01-05T00:00:00Z"))
                .body("gaps.findAll { it.missing == 'SUPERVISOR' }", hasSize(1));
    }
}
