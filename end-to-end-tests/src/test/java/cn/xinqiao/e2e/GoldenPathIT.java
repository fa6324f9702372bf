package cn.xinqiao.e2e;

import cn.xinqiao.contracts.ContractValidator;
import cn.xinqiao.testing.KafkaProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ARCHITECTURE §3: a student of the demo city logs in with the access code the counsellor printed, answers
 * PHQ-A with item 9 = 2 and sees only a receipt; the counsellor finds the student at the top of the risk queue;
 * the FHIR message reaches the partner hospital's own topic with the student's identity; the clinician accepts
 * in the inbox, and the school's risk queue shows "accepted". Prints the latencies.
 */
class GoldenPathIT {

    @BeforeAll
    static void up() throws Exception {
        Stack.get();
    }

    @Test
    void criticalAnswerReachesTheCounsellorsRiskQueue() throws Exception {
        String screening = Stack.url("screening-service");
        String counselor = Stack.token("counselor.jn1");
        String campaign = given().auth().oauth2(counselor).get(screening + "/api/campaigns").then().statusCode(200)
                .extract().path("[0].id");
        List<Map<String, Object>> slips = given().auth().oauth2(counselor)
                .get(screening + "/api/campaigns/" + campaign + "/access-codes?grade=10&className=1班")
                .then().statusCode(200).extract().path("$");
        assertEquals(20, slips.size());
        Map<String, Object> student = slips.get(7);

        String born = Stack.birthDate(counselor, "S370811001", (String) student.get("studentNumber"));
        String token = given().contentType("application/json").body(Map.of("accessCode", student.get("accessCode"), "birthDate", born))
                .post(screening + "/api/student-sessions").then().statusCode(201).extract().path("token");
        // the student's browser (or a gateway) starts the trace: W3C trace context on the submission request
        String traceId = java.util.HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16).putLong(System.nanoTime())
                .putLong(new java.util.Random().nextLong()).array());
        given().auth().oauth2(token).contentType("application/json").header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .body(Map.of("campaignId", campaign, "instrumentId", "PHQ-A", "answers", new int[]{0, 1, 0, 0, 1, 0, 0, 0, 2},
                        "clientSubmissionId", UUID.randomUUID().toString()))
                .post(screening + "/api/submissions").then().statusCode(201)
                .body("hotline", equalTo(cn.xinqiao.stack.DemoCity.HOTLINE)).body("$", not(hasKey("riskLevel")));

        long submittedAt = System.currentTimeMillis();
        Instant deadline = Instant.now().plusSeconds(30);
        List<Map<String, Object>> queue = List.of();
        while (Instant.now().isBefore(deadline)) {
            queue = given().auth().oauth2(counselor).get(screening + "/api/schools/S370811001/risk-queue").then().statusCode(200).extract().path("$");
            if (queue.stream().anyMatch(c -> student.get("studentNumber").equals(c.get("studentNumber")))) {
                break;
            }
            Thread.sleep(300);
        }
        Map<String, Object> top = queue.get(0); // newest critical first: the demo city's earlier answers come after
        assertEquals(student.get("studentNumber"), top.get("studentNumber"));
        assertEquals("CRITICAL", top.get("riskLevel"));
        assertEquals("REFERRED", top.get("status"));
        // a counsellor of another school sees none of it
        given().auth().oauth2(Stack.token("counselor.yz1")).get(screening + "/api/schools/S370811001/risk-queue")
                .then().statusCode(404);
        given().auth().oauth2(Stack.token("counselor.yz1")).get(screening + "/api/schools/S370812001/risk-queue")
                .then().statusCode(200).body("studentNumber", not(hasItem(student.get("studentNumber"))));

        // the green channel: S370811001 is in 370811, whose partner is H370800001
        String studentName = (String) top.get("studentName");
        String hospitalTopic = "referral.hospital.H370800001.v1";
        KafkaProbe kafka = new KafkaProbe(Stack.get().kafkaBootstrap());
        String engine = Stack.token("clinician.h1"); // the hospital's engine opens each message's sealed identity
        List<ConsumerRecord<String, String>> messages = kafka.readUntil(hospitalTopic, Duration.ofSeconds(60),
                rs -> rs.stream().anyMatch(r -> HospitalEngine.patientOf(r, engine).contains(studentName)));
        ConsumerRecord<String, String> fhir = messages.stream().filter(r -> HospitalEngine.patientOf(r, engine).contains(studentName)).findFirst()
                .orElseThrow(() -> new AssertionError("no FHIR message for the student on " + hospitalTopic));
        assertFalse(fhir.value().contains(studentName), "the name is sealed on the topic, readable only through the key");
        long toHospital = fhir.timestamp() - submittedAt;
        ContractValidator.load().assertConforms(hospitalTopic, KafkaProbe.headers(fhir), fhir.value());
        // one trace from the student's request to the hospital: submission → outbox → screening.results / referral.requests
        // → referral-service's consumer → the dispatch → outbox → the hospital's topic (ce_traceparent, CloudEvents tracing)
        String hospitalTrace = KafkaProbe.headers(fhir).get("ce_traceparent");
        assertNotNull(hospitalTrace, "the hospital's message carries a trace context");
        assertEquals(traceId, hospitalTrace.substring(3, 35), "the hospital's message carries the trace of the student's submission");
        assertNotEquals("00f067aa0ba902b7", hospitalTrace.substring(36, 52), "a span of referral-service's, not the request's own");
        com.fasterxml.jackson.databind.JsonNode request = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fhir.value())
                .path("entry").get(1).path("resource");
        assertEquals("ServiceRequest", request.path("resourceType").asText());
        assertEquals("stat", request.path("priority").asText());
        assertTrue(request.path("reasonCode").get(0).path("coding").get(0).path("code").asText().startsWith("PHQ-A:"));
        assertEquals(404, HospitalEngine.openNow(fhir.value(), Stack.token("clinician.h2")).statusCode(),
                "another hospital cannot open the partner hospital's message");
        assertTrue(kafka.readFor("referral.hospital.H370800002.v1", Duration.ofSeconds(1)).stream()
                .noneMatch(r -> r.value().contains(studentName)), "only the partner hospital receives the identity");

        String referral = Stack.url("referral-service");
        String clinician = Stack.token("clinician.h1");
        List<Map<String, Object>> inbox = given().auth().oauth2(clinician).get(referral + "/api/referrals?open=true")
                .then().statusCode(200).extract().path("$");
        Map<String, Object> mine = inbox.stream().filter(r -> studentName.equals(((Map<?, ?>) r.get("patient")).get("name")))
                .findFirst().orElseThrow();
        assertEquals("CRITICAL", mine.get("riskLevel"));
        given().auth().oauth2(Stack.token("clinician.h2")).get(referral + "/api/referrals/" + mine.get("id")).then().statusCode(404);
        long acceptedAt = System.currentTimeMillis();
        given().auth().oauth2(clinician).contentType("application/json").body(Map.of("to", "accepted", "note", "今日下午绿色通道接诊"))
                .post(referral + "/api/referrals/" + mine.get("id") + "/transitions").then().statusCode(200).body("status", equalTo("accepted"));

        deadline = Instant.now().plusSeconds(30);
        String status = null;
        while (Instant.now().isBefore(deadline) && !"accepted".equals(status)) {
            status = given().auth().oauth2(counselor).get(screening + "/api/schools/S370811001/risk-queue").then().statusCode(200)
                    .extract().path("find { it.studentNumber == '" + student.get("studentNumber") + "' }.referralStatus");
            Thread.sleep(100);
        }
        assertEquals("accepted", status);
        long backToSchool = System.currentTimeMillis() - acceptedAt;
        given().auth().oauth2(counselor).get(referral + "/api/referrals/" + mine.get("id")).then().statusCode(200)
                .body("feedback", equalTo("今日下午绿色通道接诊")).body("hospitalName", equalTo("济宁市精神卫生中心"));

        // step 7: the bureau's referral report counts the acceptance (events only, no identity)
        String reporting = Stack.url("reporting-service");
        String analyst = Stack.token("analyst.rc");
        deadline = Instant.now().plusSeconds(30);
        float accepted = 0;
        while (Instant.now().isBefore(deadline) && accepted < 1) {
            Float value = given().auth().oauth2(analyst).get(reporting + "/api/reports/referrals?level=county&code=370811")
                    .then().statusCode(200).extract().path("tables.find { it.id == 'by-hospital' }.rows.find { it.code == 'H370800001' }"
                            + ".cells[1].value");
            accepted = value == null ? 0 : value;
            Thread.sleep(200);
        }
        long toBureau = System.currentTimeMillis() - acceptedAt;
        assertTrue(accepted >= 1, "the county report shows the accepted referral");
        String report = given().auth().oauth2(analyst).get(reporting + "/api/reports/referrals?level=county&code=370811").asString();
        assertTrue(!report.contains(studentName) && !report.contains((String) student.get("studentNumber")), "no identity in a report");
        given().auth().oauth2(analyst).get(reporting + "/api/reports/referrals?level=county&code=370812").then().statusCode(403);
        System.out.printf("golden path: submission -> FHIR message on %s: %d ms; hospital accepts -> school's risk queue: %d ms; "
                + "-> bureau's county report: %d ms%n", hospitalTopic, toHospital, backToSchool, toBureau);
    }
}
