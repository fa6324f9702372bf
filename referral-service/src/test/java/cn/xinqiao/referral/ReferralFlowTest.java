package cn.xinqiao.referral;

import cn.xinqiao.contracts.ContractValidator;
import cn.xinqiao.referral.fhir.FhirMessages;
import cn.xinqiao.referral.intake.ReferralRequestRecord;
import cn.xinqiao.referral.lifecycle.Referral;
import cn.xinqiao.referral.sla.SlaMonitor;
import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The green channel through real PostgreSQL and Kafka: intake from referral.requests.v1, routing, the FHIR
 * message on the hospital's own topic, the lifecycle, the clocks and who may see what.
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
@QuarkusTestResource(ScreeningRosterStandIn.class)
class ReferralFlowTest {

    static final String ADMIN = TestTokens.as("admin-1", "platform-admin").token();
    static final String H1 = "H370800201";
    static final String H2 = "H370800202";
    static final String COUNTY = "370883";   // not used by PartnershipTest (same database)
    static final String SCHOOL = "S370883001";
    static final String STATUS = "referral.status.v1";
    static final ObjectMapper JSON = new ObjectMapper();
    static final ContractValidator CONTRACTS = ContractValidator.load();
    static final SecureRandom RANDOM = new SecureRandom();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    SlaMonitor sla;

    @Inject
    FhirMessages fhir;

    @Inject
    cn.xinqiao.referral.lifecycle.ReferralQueries queries;

    KafkaProbe kafka;

    @BeforeEach
    void partners() {
        kafka = new KafkaProbe(bootstrap);
        partners(COUNTY, H1, H2);
    }

    /** Two hospitals of the city, the first the county's partner and the second its backup. */
    static void partners(String county, String hospital, String backup) {
        for (String h : List.of(hospital, backup)) {
            given().auth().oauth2(ADMIN).contentType("application/json")
                    .body(Map.of("name", "测试医院" + h.substring(8), "districtCode", "370800")).put("/api/hospitals/" + h)
                    .then().statusCode(200);
        }
        given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("hospitalId", hospital, "backupHospitalId", backup))
                .put("/api/partnerships/county/" + county).then().statusCode(200);
    }

    /** What a hospital's engine sends to open a message's sealed Patient. */
    static Map<String, String> sealedOf(Patient visible) {
        var seal = visible.getExtensionByUrl(cn.xinqiao.referral.identity.IdentitySeals.EXTENSION);
        return Map.of("keyId", seal.getExtensionByUrl("keyId").getValue().primitiveValue(),
                "ciphertext", seal.getExtensionByUrl("ciphertext").getValue().primitiveValue());
    }

    Patient openSealed(Patient visible, String clinicianToken) {
        String json = given().auth().oauth2(clinicianToken).contentType("application/json").body(sealedOf(visible))
                .post("/api/identity-seals/open").then().statusCode(200).contentType("application/fhir+json").extract().asString();
        return ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser().parseResource(Patient.class, json);
    }

    // ------------------------------------------------------------------ intake

    @Test
    void aCriticalRequestBecomesOneReferralAndOneValidFhirMessageAndReplaysCreateNothing() throws Exception {
        String key = studentKey("a");
        UUID requestId = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        send(eventId, request(requestId, key, SCHOOL, "CRITICAL", "PHQ-A:item9"));

        ConsumerRecord<String, String> message = await(topic(H1), key, 1).get(0);
        CONTRACTS.assertConforms(topic(H1), KafkaProbe.headers(message), message.value());
        Bundle bundle = fhir.parse(message.value());
        assertEquals(List.of(), fhir.errors(bundle));
        ServiceRequest request = (ServiceRequest) bundle.getEntry().get(1).getResource();
        Patient patient = (Patient) request.getContained().get(0);
        // the topic carries the identity sealed under the student's own key: the hospital's engine opens it
        assertFalse(message.value().contains("学生" + key.substring(0, 4)), "no name readable on the topic");
        assertTrue(patient.getName().isEmpty() && !patient.hasBirthDate() && patient.getContact().isEmpty());
        Patient opened = openSealed(patient, TestTokens.clinician(H1));
        assertEquals("学生" + key.substring(0, 4), opened.getNameFirstRep().getText());
        assertEquals(key, opened.getIdentifierFirstRep().getValue());
        given().auth().oauth2(TestTokens.clinician(H2)).contentType("application/json").body(sealedOf(patient))
                .post("/api/identity-seals/open").then().statusCode(404); // a message for another hospital
        given().auth().oauth2(TestTokens.counselor(SCHOOL, COUNTY)).contentType("application/json").body(sealedOf(patient))
                .post("/api/identity-seals/open").then().statusCode(403);
        assertEquals("PHQ-A:item9", request.getReasonCodeFirstRep().getCodingFirstRep().getCode());
        assertEquals(ServiceRequest.ServiceRequestPriority.STAT, request.getPriority());

        ConsumerRecord<String, String> routed = awaitStatus(key, s -> s.path("businessStatus").asText().equals("routed")).get(0);
        CONTRACTS.assertConforms(STATUS, KafkaProbe.headers(routed), routed.value());
        JsonNode status = JSON.readTree(routed.value());
        assertEquals(H1, status.path("hospitalId").asText());
        assertEquals(requestId.toString(), status.path("requestIds").get(0).asText());
        assertFalse(routed.value().contains("学生"), "status events carry no names");

        // the same event again, and the same request under a new event id: nothing new
        send(eventId, request(requestId, key, SCHOOL, "CRITICAL", "PHQ-A:item9"));
        send(UUID.randomUUID(), request(requestId, key, SCHOOL, "CRITICAL", "PHQ-A:item9"));
        assertEquals(1, matching(kafka.readFor(topic(H1), Duration.ofSeconds(4)), key).size());
        assertEquals(1L, count("from Referral where studentKey = ?1", key));
        assertEquals(1L, count("from ReferralRequestRecord where requestId = ?1", requestId));
        assertEquals(1, statuses(kafka.readFor(STATUS, Duration.ofSeconds(1)), key).size());
    }

    @Test
    void twoRequestsForOneStudentMergeIntoOneEpisodeAndTheHospitalHearsOfIt() throws Exception {
        String key = studentKey("m");
        send(UUID.randomUUID(), request(UUID.randomUUID(), key, SCHOOL, "HIGH", "PHQ-A:moderately-severe"));
        await(topic(H1), key, 1);
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC);
        send(UUID.randomUUID(), request(UUID.randomUUID(), key, SCHOOL, "CRITICAL", "HOTLINE:suicidal-thoughts"));

        List<ConsumerRecord<String, String>> messages = await(topic(H1), key, 2);
        Bundle update = fhir.parse(messages.get(1).value());
        assertEquals("referral-update", ((MessageHeader) update.getEntry().get(0).getResource()).getEventCoding().getCode());
        assertEquals(2, ((ServiceRequest) update.getEntry().get(1).getResource()).getReasonCode().size());
        awaitStatus(key, s -> s.path("businessStatus").asText().equals("merged") && s.path("riskLevel").asText().equals("CRITICAL")
                && s.path("requestIds").size() == 2);

        Referral r = referral(key);
        assertEquals(1L, count("from Referral where studentKey = ?1", key));
        assertEquals("CRITICAL", r.riskLevel);
        assertEquals(2, r.reasons.size());
        assertTrue(r.acknowledgeDueAt.isBefore(before.plusMinutes(61)), "raising to CRITICAL tightens the acknowledgement clock");
    }

    // ------------------------------------------------------------------ lifecycle

    @Test
    void theHospitalAcceptsSchedulesAndCompletesAndTheSchoolSeesItAll() throws Exception {
        String key = studentKey("l");
        send(UUID.randomUUID(), request(UUID.randomUUID(), key, SCHOOL, "CRITICAL", "ASQ:acute-positive"));
        await(topic(H1), key, 1);
        String id = referral(key).id.toString();
        String clinician = TestTokens.clinician(H1);

        given().auth().oauth2(clinician).get("/api/referrals?open=true").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.patient.name", equalTo("学生" + key.substring(0, 4)))
                .body("find { it.id == '" + id + "' }.acknowledgeOverdue", equalTo(false));
        // illegal: complete before accept; reject without a reason
        given().auth().oauth2(clinician).contentType("application/json").body(Map.of("to", "completed"))
                .post("/api/referrals/" + id + "/transitions").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://xinqiao.cn/problems/illegal-transition"));
        given().auth().oauth2(clinician).contentType("application/json").body(Map.of("to", "rejected"))
                .post("/api/referrals/" + id + "/transitions").then().statusCode(422);
        given().auth().oauth2(clinician).contentType("application/json").body(Map.of("to", "teleported"))
                .post("/api/referrals/" + id + "/transitions").then().statusCode(422);

        transition(clinician, id, Map.of("to", "accepted")).body("status", equalTo("accepted"));
        String appointment = OffsetDateTime.now(ZoneOffset.UTC).plusDays(1).withNano(0).toString();
        transition(clinician, id, Map.of("to", "scheduled", "appointmentAt", appointment))
                .body("status", equalTo("in-progress")).body("businessStatus", equalTo("scheduled"));
        // a return summary belongs to completion only
        given().auth().oauth2(clinician).contentType("application/json")
                .body(Map.of("to", "scheduled", "appointmentAt", appointment, "returnSummary", Map.of("medication", false)))
                .post("/api/referrals/" + id + "/transitions").then().statusCode(422);
        given().auth().oauth2(clinician).contentType("application/json")
                .body(Map.of("to", "completed", "returnSummary", Map.of("accommodations", List.of("NAP_TIME"))))
                .post("/api/referrals/" + id + "/transitions").then().statusCode(400);
        Map<String, Object> summary = Map.of("recommendations", "建议学校减轻课业负担，安排固定座位，每周与心理教师面谈一次",
                "accommodations", List.of("REDUCED_WORKLOAD", "SEATING_SUPERVISION"), "medication", true,
                "nextAppointment", OffsetDateTime.now(ZoneOffset.UTC).plusDays(14).withNano(0).toString(),
                "followUpPlan", List.of(Map.of("afterDays", 7, "by", "SCHOOL"), Map.of("afterDays", 30, "by", "HOSPITAL")));
        transition(clinician, id, Map.of("to", "completed", "note", "已面诊，建议每周心理咨询，两周后复诊", "returnSummary", summary))
                .body("status", equalTo("completed")).body("open", equalTo(false))
                .body("returnSummary.followUpPlan.afterDays", equalTo(List.of(7, 30)));
        given().auth().oauth2(clinician).contentType("application/json").body(Map.of("to", "accepted"))
                .post("/api/referrals/" + id + "/transitions").then().statusCode(409);

        List<String> seen = statuses(awaitStatus(key, s -> s.path("status").asText().equals("completed")), key).stream()
                .map(s -> s.path("status").asText() + "/" + s.path("businessStatus").asText()).toList();
        assertEquals(List.of("requested/routed", "accepted/accepted", "in-progress/scheduled", "completed/seen"), seen);
        ConsumerRecord<String, String> completed = awaitStatus(key, s -> s.path("status").asText().equals("completed")).stream()
                .filter(r -> readTree(r.value()).path("status").asText().equals("completed")).findFirst().orElseThrow();
        CONTRACTS.assertConforms(STATUS, KafkaProbe.headers(completed), completed.value());
        JsonNode coded = readTree(completed.value()).path("returnSummary");
        assertEquals(List.of(7, 30), List.of(coded.path("followUpPlan").get(0).path("afterDays").asInt(), coded.path("followUpPlan").get(1).path("afterDays").asInt()));
        assertEquals("REDUCED_WORKLOAD", coded.path("accommodations").get(0).asText());
        assertTrue(coded.path("recommendations").isMissingNode() && !completed.value().contains("减轻课业负担"),
                "the recommendations are free text: never on the topic");

        // the referring school sees the outcome and the hospital's feedback; the read is audited
        given().auth().oauth2(TestTokens.counselor(SCHOOL, COUNTY)).get("/api/referrals/" + id).then().statusCode(200)
                .body("status", equalTo("completed"))
                .body("feedback", equalTo("已面诊，建议每周心理咨询，两周后复诊"))
                .body("returnSummary.recommendations", equalTo("建议学校减轻课业负担，安排固定座位，每周与心理教师面谈一次"))
                .body("returnSummary.medication", equalTo(true))
                .body("history.step", hasItem("scheduled"));
        given().auth().oauth2(TestTokens.as("auditor-1", "auditor").token()).get("/api/audit?resourceId=" + id).then().statusCode(200)
                .body("action", hasItem("READ")).body("action", hasItem("TRANSITION"));
    }

    @Test
    void hospitalBCannotReadOrChangeHospitalAsReferralAndTheBureauSeesNoIdentity() {
        String key = studentKey("t");
        send(UUID.randomUUID(), request(UUID.randomUUID(), key, SCHOOL, "HIGH", "PHQ-A:moderately-severe"));
        await(topic(H1), key, 1);
        String id = referral(key).id.toString();
        String other = TestTokens.clinician(H2);
        given().auth().oauth2(other).get("/api/referrals/" + id).then().statusCode(404);
        given().auth().oauth2(other).contentType("application/json").body(Map.of("to", "accepted"))
                .post("/api/referrals/" + id + "/transitions").then().statusCode(404);
        given().auth().oauth2(other).get("/api/referrals").then().statusCode(200).body("id", not(hasItem(id)));
        given().auth().oauth2(TestTokens.counselor("S370883002", COUNTY)).get("/api/referrals/" + id).then().statusCode(404);
        given().auth().oauth2(TestTokens.analyst("370800")).get("/api/referrals").then().statusCode(403);
        given().get("/api/referrals").then().statusCode(401);
        // a counsellor may only cancel, never accept on the hospital's behalf
        given().auth().oauth2(TestTokens.counselor(SCHOOL, COUNTY)).contentType("application/json").body(Map.of("to", "accepted"))
                .post("/api/referrals/" + id + "/transitions").then().statusCode(403);
        assertEquals("requested", referral(key).status);
    }

    @Test
    void aDeclineMovesTheReferralToTheBackupHospital() {
        String key = studentKey("d");
        send(UUID.randomUUID(), request(UUID.randomUUID(), key, SCHOOL, "HIGH", "GAD-7:severe"));
        await(topic(H1), key, 1);
        String id = referral(key).id.toString();
        transition(TestTokens.clinician(H1), id, Map.of("to", "rejected", "reason", "本周无床位", "note", "请转备用医院"))
                .body("history.find { it.step == 'rejected' }.note", equalTo("本周无床位\n请转备用医院"));
        await(topic(H2), key, 1);
        Referral r = referral(key);
        assertEquals(H2, r.hospitalId);
        assertEquals("requested", r.status);
        awaitStatus(key, s -> s.path("escalation").asText().equals("BACKUP_HOSPITAL"));
        assertEquals("rejected", statuses(kafka.readFor(STATUS, Duration.ofSeconds(1)), key).stream()
                .filter(s -> s.path("businessStatus").asText().equals("declined")).findFirst().orElseThrow().path("status").asText());
    }

    // ------------------------------------------------------------------ clocks

    @Test
    void anUnacknowledgedCriticalEscalatesToTheBackupAndTheBureauOnceAfterItsDeadline() throws Exception {
        String key = studentKey("s");
        send(UUID.randomUUID(), request(UUID.randomUUID(), key, SCHOOL, "CRITICAL", "PHQ-A:item9"));
        await(topic(H1), key, 1);
        OffsetDateTime t0 = referral(key).firstRequestedAt;

        sla.check(t0.plusMinutes(59));
        assertEquals(H1, referral(key).hospitalId, "not yet due");

        assertTrue(sla.check(t0.plusMinutes(61)).acknowledgeEscalations() >= 1);
        Referral moved = referral(key);
        assertEquals(H2, moved.hospitalId);
        await(topic(H2), key, 1);
        List<ConsumerRecord<String, String>> atPrimary = await(topic(H1), key, 2);
        assertEquals("referral-cancel", ((MessageHeader) fhir.parse(atPrimary.get(1).value()).getEntry().get(0).getResource())
                .getEventCoding().getCode(), "the late hospital is told the referral moved");
        awaitStatus(key, s -> s.path("escalation").asText().equals("BACKUP_HOSPITAL"));
        awaitStatus(key, s -> s.path("escalation").asText().equals("BUREAU_ALERT"));

        int events = statuses(kafka.readFor(STATUS, Duration.ofSeconds(1)), key).size();
        assertEquals(0, sla.check(t0.plusMinutes(62)).acknowledgeEscalations(), "nothing left to escalate at this time");
        assertEquals(events, statuses(kafka.readFor(STATUS, Duration.ofSeconds(2)), key).size(), "escalated once, not every pass");

        // the backup does not answer either: the bureau is alerted, and there is no third hospital
        sla.check(moved.acknowledgeDueAt.plusMinutes(1));
        assertNotNull(referral(key).acknowledgeEscalatedAt);
        assertEquals(H2, referral(key).hospitalId);
        given().auth().oauth2(TestTokens.analyst(COUNTY)).get("/api/referrals/alerts").then().statusCode(200)
                .body("find { it.referralId == '" + moved.id + "' }.escalation", equalTo("BUREAU_ALERT"))
                .body("find { it.referralId == '" + moved.id + "' }.patient", nullValue());
        given().auth().oauth2(TestTokens.analyst("370812")).get("/api/referrals/alerts?districtCode=" + COUNTY).then().statusCode(403);
    }

    @Test
    void noPartnerHospitalEscalatesToTheBureauAndRoutesAsSoonAsOneIsSet() {
        String key = studentKey("u");
        send(UUID.randomUUID(), request(UUID.randomUUID(), key, "S370884001", "CRITICAL", "PHQ-A:item9"));
        awaitStatus(key, s -> s.path("businessStatus").asText().equals("unrouted") && s.path("escalation").asText().equals("NO_PARTNERSHIP"));
        String id = referral(key).id.toString();
        given().auth().oauth2(TestTokens.analyst("370884")).get("/api/referrals/alerts").then().statusCode(200)
                .body("find { it.referralId == '" + id + "' }.escalation", equalTo("NO_PARTNERSHIP"));

        given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("hospitalId", H2))
                .put("/api/partnerships/county/370884").then().statusCode(200);
        sla.check(OffsetDateTime.now(ZoneOffset.UTC));
        await(topic(H2), key, 1);
        assertEquals(H2, referral(key).hospitalId);
    }

    @Test
    void aStudentMissingFromTheRosterStillReachesTheHospitalAndAnUnreachableRosterIsRetried() {
        String unknown = "unknown" + studentKey("x").substring(7);
        send(UUID.randomUUID(), request(UUID.randomUUID(), unknown, SCHOOL, "CRITICAL", "HOTLINE:suicidal-thoughts"));
        Bundle bundle = fhir.parse(await(topic(H1), unknown, 1).get(0).value());
        assertEquals(List.of(), fhir.errors(bundle));

        String down = "down" + studentKey("y").substring(4);
        send(UUID.randomUUID(), request(UUID.randomUUID(), down, SCHOOL, "CRITICAL", "PHQ-A:item9"));
        awaitStatus(down, s -> s.path("businessStatus").asText().equals("routed"));
        long deadline = System.currentTimeMillis() + 15_000;
        while (referral(down).dispatchAttempts < 2 && System.currentTimeMillis() < deadline) {
            sleep(200);
        }
        Referral waiting = referral(down);
        assertTrue(waiting.dispatchAttempts >= 2, "retried with backoff");
        assertNotNull(waiting.dispatchKind, "still owed to the hospital");
        assertEquals(0, matching(kafka.readFor(topic(H1), Duration.ofSeconds(1)), down).size());
    }

    // ------------------------------------------------------------------ school side

    @Test
    void theCounsellorRecordsTheGuardianNotificationOrADocumentedException() {
        String key = studentKey("g");
        send(UUID.randomUUID(), request(UUID.randomUUID(), key, SCHOOL, "HIGH", "PHQ-A:moderately-severe"));
        await(topic(H1), key, 1);
        String id = referral(key).id.toString();
        String counsellor = TestTokens.counselor(SCHOOL, COUNTY);
        given().auth().oauth2(counsellor).get("/api/referrals/" + id).then().statusCode(200).body("guardianOverdue", equalTo(false));
        OffsetDateTime dayLater = referral(key).firstRequestedAt.plusHours(25);
        assertTrue(QuarkusTransaction.requiringNew().call(() -> queries.detail(referral(key), dayLater)).guardianOverdue(),
                "neither a notification nor an exception after 24 h");
        given().auth().oauth2(counsellor).contentType("application/json").body(Map.of("kind", "EXCEPTION", "exceptionCode", "GUARDIAN_MAY_BE_RISK"))
                .post("/api/referrals/" + id + "/guardian-notification").then().statusCode(422);
        given().auth().oauth2(TestTokens.clinician(H1)).contentType("application/json")
                .body(Map.of("kind", "INFORMED", "informedAt", OffsetDateTime.now(ZoneOffset.UTC).toString(), "method", "PHONE"))
                .post("/api/referrals/" + id + "/guardian-notification").then().statusCode(403);
        given().auth().oauth2(counsellor).contentType("application/json")
                .body(Map.of("kind", "INFORMED", "informedAt", OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(10).toString(), "method", "PHONE",
                        "note", "已电话告知母亲"))
                .post("/api/referrals/" + id + "/guardian-notification").then().statusCode(200)
                .body("guardian.kind", equalTo("INFORMED")).body("guardian.method", equalTo("PHONE"));
        assertFalse(QuarkusTransaction.requiringNew().call(() -> queries.detail(referral(key), dayLater)).guardianOverdue());
    }

    @Test
    void aCounsellorsManualReferralEntersThroughTheSameTopic() throws Exception {
        String counsellor = TestTokens.counselor(SCHOOL, COUNTY);
        String requestId = given().auth().oauth2(counsellor).contentType("application/json")
                .body(Map.of("studentNumber", "20240042", "riskLevel", "HIGH", "reasonCode", "COUNSELOR:assessment"))
                .post("/api/referrals").then().statusCode(202).extract().path("requestId");
        ConsumerRecord<String, String> request = kafka.readUntil("referral.requests.v1", Duration.ofSeconds(20),
                rs -> rs.stream().anyMatch(r -> r.value().contains(requestId))).stream()
                .filter(r -> r.value().contains(requestId)).findFirst().orElseThrow();
        CONTRACTS.assertConforms("referral.requests.v1", KafkaProbe.headers(request), request.value());
        String key = JSON.readTree(request.value()).path("studentKey").asText();
        String subject = JSON.readTree(request.value()).path("requestedBy").asText();
        assertFalse(subject.isBlank(), "the request names the counsellor who raised it: " + request.value());
        await(topic(H1), key, 1);
        assertEquals("COUNSELOR", referral(key).reasons.get(0).source());
        // the identity for the hospital message was asked for on that counsellor's behalf
        assertEquals(subject, ScreeningRosterStandIn.LAST_ON_BEHALF_OF.get());
        given().auth().oauth2(counsellor).contentType("application/json")
                .body(Map.of("studentNumber", "20240042", "riskLevel", "SEVERE", "reasonCode", "x")).post("/api/referrals")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aMalformedRequestGoesToTheDeadLetterTopicAndChangesNothing() {
        UUID eventId = UUID.randomUUID();
        long before = count("from Referral", null);
        kafka.sendCloudEvent("referral.requests.v1", "k", eventId, "cn.xinqiao.referral.request.v1",
                "{\"requestId\":\"" + UUID.randomUUID() + "\",\"riskLevel\":\"CRITICAL\"}");
        List<ConsumerRecord<String, String>> dead = kafka.readUntil("referral-service.referral.requests.v1.dlq", Duration.ofSeconds(20),
                rs -> rs.stream().anyMatch(r -> eventId.toString().equals(KafkaProbe.header(r, "ce_id"))));
        assertTrue(dead.stream().anyMatch(r -> eventId.toString().equals(KafkaProbe.header(r, "ce_id"))));
        assertEquals(before, count("from Referral", null));
    }

    @Test
    void anErasedStudentsReferralsLoseTheirIdentityAndNoHospitalMessageOpensAnyMore() throws Exception {
        String key = studentKey("e");
        send(UUID.randomUUID(), request(UUID.randomUUID(), key, SCHOOL, "HIGH", "PHQ-A:severe"));
        ConsumerRecord<String, String> message = await(topic(H1), key, 1).get(0);
        Patient sealed = (Patient) ((ServiceRequest) fhir.parse(message.value()).getEntry().get(1).getResource()).getContained().get(0);
        assertEquals("学生" + key.substring(0, 4), openSealed(sealed, TestTokens.clinician(H1)).getNameFirstRep().getText());
        Referral before = referral(key);
        transition(TestTokens.counselor(SCHOOL, COUNTY), before.id.toString(), Map.of("to", "cancelled", "reason", "转学，监护人申请删除"));

        UUID erasure = UUID.randomUUID();
        String event = "{\"erasureId\":\"" + erasure + "\",\"studentKey\":\"" + key + "\",\"schoolId\":\"" + SCHOOL
                + "\",\"districtCode\":\"" + COUNTY + "\",\"requestedAt\":\"" + OffsetDateTime.now(ZoneOffset.UTC).minusDays(1)
                + "\",\"erasedAt\":\"" + OffsetDateTime.now(ZoneOffset.UTC) + "\"}";
        assertEquals(List.of(), CONTRACTS.validateData("screening.erasures.v1", readTree(event)));
        kafka.sendCloudEvent("screening.erasures.v1", key, erasure, "cn.xinqiao.screening.erasure.v1", event);
        kafka.sendCloudEvent("screening.erasures.v1", key, erasure, "cn.xinqiao.screening.erasure.v1", event); // redelivered
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        while (count("from Referral", key) > 0 && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertEquals(0, count("from Referral", key), "no referral carries the student's key any more");
        Referral after = QuarkusTransaction.requiringNew().call(() -> Referral.<Referral>findById(before.id));
        assertTrue(after.patient == null && after.feedback == null, "the identity snapshot and free text are gone");
        assertEquals("cancelled", after.status, "the episode itself stays, for the figures");
        given().auth().oauth2(TestTokens.clinician(H1)).contentType("application/json").body(sealedOf(sealed))
                .post("/api/identity-seals/open").then().statusCode(410); // every copy of the message is unreadable now
        assertFalse(given().auth().oauth2(TestTokens.clinician(H1)).get("/api/referrals/" + before.id).asString().contains("学生" + key.substring(0, 4)));
        assertEquals(1L, QuarkusTransaction.requiringNew().call(() -> ((Number) Referral.getEntityManager()
                .createNativeQuery("select count(*) from erasure_applied where erasure_id = ?1").setParameter(1, erasure).getSingleResult()).longValue()));
    }

    // ------------------------------------------------------------------ helpers

    static String studentKey(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return (prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)).substring(0, 43);
    }

    static String topic(String hospital) {
        return "referral.hospital." + hospital + ".v1";
    }

    static String request(UUID requestId, String key, String school, String risk, String reason) {
        return "{\"requestId\":\"" + requestId + "\",\"source\":\"SCREENING\",\"sourceRef\":\"" + UUID.randomUUID()
                + "\",\"studentKey\":\"" + key + "\",\"schoolId\":\"" + school + "\",\"districtCode\":\"" + school.substring(1, 7)
                + "\",\"grade\":10,\"sex\":\"FEMALE\",\"riskLevel\":\"" + risk + "\",\"reasons\":[{\"code\":\"" + reason
                + "\",\"instrumentId\":\"PHQ-A\",\"totalScore\":21,\"band\":\"severe\",\"criticalItem\":true}],\"requestedAt\":\""
                + OffsetDateTime.now(ZoneOffset.UTC) + "\"}";
    }

    void send(UUID eventId, String data) {
        String key = data.replaceAll(".*\"studentKey\":\"([^\"]+)\".*", "$1");
        CONTRACTS.validateData("referral.requests.v1", readTree(data)).forEach(v -> {
            throw new AssertionError("test request breaks the contract: " + v);
        });
        kafka.sendCloudEvent("referral.requests.v1", key, eventId, "cn.xinqiao.referral.request.v1", data);
    }

    List<ConsumerRecord<String, String>> await(String topic, String key, int n) {
        List<ConsumerRecord<String, String>> found = matching(kafka.readUntil(topic, Duration.ofSeconds(30),
                rs -> matching(rs, key).size() >= n), key);
        assertTrue(found.size() >= n, "expected " + n + " message(s) for the student on " + topic + ", got " + found.size());
        return found;
    }

    List<ConsumerRecord<String, String>> awaitStatus(String key, Predicate<JsonNode> until) {
        List<ConsumerRecord<String, String>> records = kafka.readUntil(STATUS, Duration.ofSeconds(30),
                rs -> statuses(rs, key).stream().anyMatch(until));
        assertTrue(statuses(records, key).stream().anyMatch(until), "no matching referral.status.v1 event");
        return matching(records, key);
    }

    static List<ConsumerRecord<String, String>> matching(List<ConsumerRecord<String, String>> records, String key) {
        return records.stream().filter(r -> r.value().contains(key)).toList();
    }

    static List<JsonNode> statuses(List<ConsumerRecord<String, String>> records, String key) {
        return matching(records, key).stream().map(r -> readTree(r.value())).toList();
    }

    static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Referral referral(String key) {
        return QuarkusTransaction.requiringNew().call(() -> Referral.<Referral>find("studentKey", key).firstResult());
    }

    static long count(String query, Object param) {
        return QuarkusTransaction.requiringNew().call(() -> param == null ? Referral.count(query.replace("from Referral", "").trim())
                : query.contains("ReferralRequestRecord") ? ReferralRequestRecord.count("requestId = ?1", param)
                : Referral.count("studentKey = ?1", param));
    }

    io.restassured.response.ValidatableResponse transition(String token, String id, Map<String, ?> body) {
        return given().auth().oauth2(token).contentType("application/json").body(body)
                .post("/api/referrals/" + id + "/transitions").then().statusCode(200);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
