package cn.xinqiao.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContractValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ContractValidator contracts = ContractValidator.load();

    @Test
    void everyArchitectureTopicIsDeclared() {
        assertEquals(List.of("screening.results.v1", "screening.casework.v1", "screening.security.v1", "screening.erasures.v1", "referral.requests.v1", "referral.status.v1",
                        "referral.hospital.{hospitalId}.v1", "referral.hospital.{hospitalId}.replies.v1", "hotline.calls.v1", "hotline.coverage.v1", "hotline.shifts.v1", "hotline.callbacks.v1",
                        "directory.schools.v1",
                        "directory.campaigns.v1", "directory.hospitals.v1"),
                contracts.addresses());
    }

    @Test
    void everyDocumentedExampleConformsToItsSchema() {
        for (String address : contracts.addresses()) {
            List<JsonNode> examples = contracts.examples(address);
            assertFalse(examples.isEmpty(), address + " has no example");
            String topic = address.replace("{hospitalId}", "H370800001");
            for (JsonNode example : examples) {
                assertEquals(List.of(), contracts.validateData(topic, example), address);
            }
        }
    }

    @Test
    void anOverdueEscalationSaysWhoItWentToAndNothingElseDoes() throws Exception {
        ObjectNode overdue = (ObjectNode) JSON.readTree("""
                {"kind": "STEP_OVERDUE", "caseId": "0b7d8a4e-1c2f-4e5a-9b6c-7d8e9f0a1b2c", "schoolId": "S370811001", "districtCode": "370811",
                 "source": "SCREENING", "riskLevel": "CRITICAL", "steps": [{"code": "GUARDIAN_CONTACT", "dueAt": "2026-12-04T10:00:00Z",
                 "critical": true}], "escalatedTo": "SCHOOL_ADMIN", "occurredAt": "2026-12-04T10:00:30Z"}""");
        assertEquals(List.of(), contracts.validateData("screening.casework.v1", overdue));
        ObjectNode nobody = overdue.deepCopy();
        nobody.remove("escalatedTo");
        assertFalse(contracts.validateData("screening.casework.v1", nobody).isEmpty(), "an escalation without its level");
        ObjectNode scheduled = overdue.deepCopy();
        scheduled.put("kind", "SCHEDULED");
        assertFalse(contracts.validateData("screening.casework.v1", scheduled).isEmpty(), "a level on an event that escalates nothing");
    }

    @Test
    void aNameSmuggledIntoADeidentifiedTopicIsRejected() {
        ObjectNode result = example("screening.results.v1");
        result.put("studentName", "张三");
        List<String> violations = contracts.validateData("screening.results.v1", result);
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("studentName"), violations.toString());
    }

    @Test
    void wrongTypesMissingFieldsAndBadFormatsAreEachReported() {
        ObjectNode request = example("referral.requests.v1");
        request.put("riskLevel", "LOW");            // LOW never raises a referral
        request.remove("studentKey");
        request.put("requestedAt", "yesterday");
        request.put("schoolId", "370811001");       // missing the S prefix
        List<String> violations = contracts.validateData("referral.requests.v1", request);
        assertEquals(4, violations.size(), violations.toString());
    }

    @Test
    void emptyReasonsAreRejected() {
        ObjectNode request = example("referral.requests.v1");
        request.set("reasons", JSON.createArrayNode());
        assertEquals(1, contracts.validateData("referral.requests.v1", request).size());
    }

    @Test
    void hospitalTopicNeedsServiceRequestAndTask() {
        ObjectNode bundle = example("referral.hospital.{hospitalId}.v1");
        ((ArrayNode) bundle.get("entry")).remove(2);  // drop the Task
        assertFalse(contracts.validateData("referral.hospital.H370800002.v1", bundle).isEmpty());
    }

    @Test
    void recordEnvelopeIsChecked() throws Exception {
        String value = JSON.writeValueAsString(example("hotline.calls.v1"));
        Map<String, String> headers = new HashMap<>(Map.of(
                "ce_specversion", "1.0", "ce_id", "0b6f3c8e-5f0e-4d8a-9a43-2f1c9b0e7d11",
                "ce_type", "cn.xinqiao.hotline.call.v1", "ce_source", "hotline-service",
                "content-type", "application/json"));
        assertEquals(List.of(), contracts.validateRecord("hotline.calls.v1", headers, value));

        headers.put("ce_id", "42");
        headers.put("ce_type", "cn.xinqiao.screening.result.v1");
        assertEquals(2, contracts.validateRecord("hotline.calls.v1", headers, value).size());
        assertThrows(AssertionError.class, () -> contracts.assertConforms("hotline.calls.v1", headers, value));
    }

    @Test
    void undeclaredTopicFails() {
        assertThrows(AssertionError.class, () -> contracts.eventType("referral.requests.v2"));
        assertEquals("cn.xinqiao.referral.hospital.v1", contracts.eventType("referral.hospital.H370800001.v1"));
    }

    private ObjectNode example(String address) {
        return (ObjectNode) contracts.examples(address).get(0).deepCopy();
    }
}
