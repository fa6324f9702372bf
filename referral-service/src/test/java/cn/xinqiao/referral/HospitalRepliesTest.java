package cn.xinqiao.referral;

import ca.uhn.fhir.context.FhirContext;
import cn.xinqiao.contracts.ContractValidator;
import cn.xinqiao.referral.fhir.FhirReferralMessage;
import cn.xinqiao.referral.fhir.TaskReply;
import cn.xinqiao.referral.lifecycle.Referral;
import cn.xinqiao.referral.lifecycle.ReferralTransition;
import cn.xinqiao.referral.replies.HospitalReplyConsumer;
import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hospital answers over Kafka: FHIR R4 Task updates on its own replies topic move the referral exactly as the REST
 * API does; another hospital's topic, an invalid Task and a refused step are dead-lettered with a reason and change
 * nothing; a repeated reply is applied once.
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
@QuarkusTestResource(ScreeningRosterStandIn.class)
class HospitalRepliesTest {

    static final String H1 = "H370800211";
    static final String H2 = "H370800212";
    static final String COUNTY = "370885";
    static final String SCHOOL = "S370885001";
    static final String DLQ = "referral-service.referral.hospital.replies.v1.dlq";
    static final ObjectMapper JSON = new ObjectMapper();
    static final ContractValidator CONTRACTS = ContractValidator.load();
    static final FhirContext FHIR = FhirContext.forR4Cached();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    KafkaProbe kafka;

    @BeforeEach
    void partners() {
        kafka = new KafkaProbe(bootstrap);
        ReferralFlowTest.partners(COUNTY, H1, H2);
    }

    @Test
    void aHospitalMovesItsReferralThroughTheLifecycleByWritingTasks() throws Exception {
        Referral r = routedReferral("r");

        UUID accepted = reply(H1, task(r.id, "accepted"));
        awaitStatus(r.id, "accepted");
        reply(H1, task(r.id, "accepted"), accepted);                       // the same event again
        reply(H1, task(r.id, "accepted"));                                 // the same answer under a new id
        Task scheduled = task(r.id, "in-progress");
        OffsetDateTime appointment = OffsetDateTime.now(ZoneOffset.UTC).plusDays(2).withNano(0);
        scheduled.getExecutionPeriod().setStartElement(new DateTimeType(Date.from(appointment.toInstant())));
        reply(H1, scheduled);
        awaitStatus(r.id, "in-progress");

        Task completed = task(r.id, "completed");
        completed.addNote().setText("已面诊，门诊随访");
        output(completed, "recommendations", new StringType("建议减轻课业负担，每周与心理教师面谈一次"));
        output(completed, "accommodation", new CodeableConcept(new Coding(TaskReply.CS_ACCOMMODATION, "REDUCED_WORKLOAD", null)));
        output(completed, "medication", new BooleanType(false));
        output(completed, "follow-up-school", days(7));
        output(completed, "follow-up-school", days(30));
        reply(H1, completed);
        Referral done = awaitStatus(r.id, "completed");

        assertEquals(appointment.toInstant(), done.appointmentAt.toInstant());
        assertEquals("建议减轻课业负担，每周与心理教师面谈一次", done.returnSummary.recommendations());
        assertEquals(List.of("REDUCED_WORKLOAD"), done.returnSummary.accommodations());
        assertEquals(List.of(7, 30), done.returnSummary.followUpPlan().stream().map(f -> f.afterDays()).toList());
        List<ReferralTransition> steps = QuarkusTransaction.requiringNew().call(() ->
                ReferralTransition.<ReferralTransition>list("referralId = ?1 order by occurredAt", r.id));
        assertEquals(List.of("accepted", "scheduled", "completed"), steps.stream().map(t -> t.step).filter(s -> !s.equals("routed")).toList(),
                "each answer applied once, the repeats not at all");
        assertTrue(steps.stream().filter(t -> !t.step.equals("routed")).allMatch(t -> ("hospital:" + H1).equals(t.actor)));

        ConsumerRecord<String, String> status = kafka.readUntil("referral.status.v1", java.time.Duration.ofSeconds(20),
                        rs -> rs.stream().anyMatch(completedFor(r.id))).stream().filter(completedFor(r.id)).findFirst()
                .orElseThrow(() -> new AssertionError("no completed status event for the referral: " + kafka.readFor("referral.status.v1",
                        java.time.Duration.ofSeconds(2)).stream().map(ConsumerRecord::value).filter(v -> v.contains(r.id.toString())).toList()));
        JsonNode coded = JSON.readTree(status.value()).path("returnSummary");
        assertEquals(List.of(7, 30), List.of(coded.path("followUpPlan").get(0).path("afterDays").asInt(), coded.path("followUpPlan").get(1).path("afterDays").asInt()));
        assertFalse(status.value().contains("课业负担"), "the free-text recommendations never leave the service");
    }

    @Test
    void aTaskOnAnotherHospitalsTopicChangesNothingAndIsDeadLettered() throws Exception {
        Referral r = routedReferral("o");
        UUID foreign = reply(H2, task(r.id, "accepted"));
        ConsumerRecord<String, String> dead = deadLetter(foreign);
        assertEquals("no referral with this identifier is addressed to this topic's hospital", KafkaProbe.header(dead, "dead-letter-reason"));
        Task owned = task(r.id, "accepted");
        owned.setOwner(new Reference().setIdentifier(new Identifier().setSystem(FhirReferralMessage.NS_ORGANIZATION).setValue(H2)));
        UUID impostor = reply(H1, owned);
        assertTrue(KafkaProbe.header(deadLetter(impostor), "dead-letter-reason").contains("Task.owner"));
        assertEquals("requested", current(r.id).status, "neither reply moved the referral");
    }

    @Test
    void anInvalidTaskOrARefusedStepIsDeadLetteredWithItsReason() throws Exception {
        Referral r = routedReferral("i");
        String notFhir = JSON.writeValueAsString(Map.of("resourceType", "Task", "status", "done", "intent", "order",
                "identifier", List.of(Map.of("system", FhirReferralMessage.NS_REFERRAL, "value", r.id.toString()))));
        UUID malformed = UUID.randomUUID();
        kafka.sendCloudEvent(HospitalReplyConsumer.topic(H1), r.id.toString(), malformed, HospitalReplyConsumer.TYPE, notFhir);
        assertTrue(KafkaProbe.header(deadLetter(malformed), "dead-letter-reason").startsWith("not a valid FHIR R4 Task"));

        UUID early = reply(H1, task(r.id, "completed"));                   // requested → completed skips the visit
        assertEquals("the referral lifecycle refused the step 'completed': illegal-transition",
                KafkaProbe.header(deadLetter(early), "dead-letter-reason"));

        Task summaryTooSoon = task(r.id, "accepted");
        output(summaryTooSoon, "medication", new BooleanType(true));
        UUID misplaced = reply(H1, summaryTooSoon);
        assertTrue(KafkaProbe.header(deadLetter(misplaced), "dead-letter-reason").contains("completed"));

        Task badPlan = task(r.id, "completed");
        output(badPlan, "follow-up-school", new Duration().setValue(2).setUnit("wk").setSystem("http://unitsofmeasure.org").setCode("wk"));
        UUID weeks = UUID.randomUUID();   // beyond the contract too, so sent as a careless integrator would
        kafka.sendCloudEvent(HospitalReplyConsumer.topic(H1), r.id.toString(), weeks, HospitalReplyConsumer.TYPE,
                FHIR.newJsonParser().encodeResourceToString(badPlan));
        assertTrue(KafkaProbe.header(deadLetter(weeks), "dead-letter-reason").contains("in days"));
        assertEquals("requested", current(r.id).status);
        assertNotNull(current(r.id).hospitalId);
    }

    // ------------------------------------------------------------------ helpers

    Referral routedReferral(String prefix) {
        String key = ReferralFlowTest.studentKey(prefix);
        kafka.sendCloudEvent("referral.requests.v1", key, UUID.randomUUID(), "cn.xinqiao.referral.request.v1",
                ReferralFlowTest.request(UUID.randomUUID(), key, SCHOOL, "CRITICAL", "PHQ-A:item9"));
        long until = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < until) {
            Referral r = QuarkusTransaction.requiringNew().call(() -> Referral.<Referral>find("studentKey", key).firstResult());
            if (r != null && H1.equals(r.hospitalId)) {
                return r;
            }
            sleep();
        }
        throw new AssertionError("the request was not routed to " + H1);
    }

    static Task task(UUID referral, String status) {
        Task t = new Task();
        t.setId(referral.toString());
        t.addIdentifier(new Identifier().setSystem(FhirReferralMessage.NS_REFERRAL).setValue(referral.toString()));
        t.setStatus(Task.TaskStatus.fromCode(status));
        t.setIntent(Task.TaskIntent.ORDER);
        t.setFocus(new Reference("ServiceRequest/" + referral));
        return t;
    }

    static void output(Task t, String code, org.hl7.fhir.r4.model.Type value) {
        t.addOutput().setType(new CodeableConcept(new Coding(TaskReply.CS_RETURN_SUMMARY, code, null))).setValue(value);
    }

    static Duration days(int n) {
        return (Duration) new Duration().setValue(new BigDecimal(n)).setUnit("d").setSystem("http://unitsofmeasure.org").setCode("d");
    }

    UUID reply(String hospital, Task task) throws Exception {
        return reply(hospital, task, UUID.randomUUID());
    }

    UUID reply(String hospital, Task task, UUID eventId) throws Exception {
        String json = FHIR.newJsonParser().encodeResourceToString(task);
        CONTRACTS.validateData(HospitalReplyConsumer.topic(hospital), JSON.readTree(json)).forEach(v -> {
            throw new AssertionError("test reply breaks the contract: " + v);
        });
        kafka.sendCloudEvent(HospitalReplyConsumer.topic(hospital), task.getIdentifierFirstRep().getValue(), eventId, HospitalReplyConsumer.TYPE, json);
        return eventId;
    }

    ConsumerRecord<String, String> deadLetter(UUID eventId) {
        Predicate<ConsumerRecord<String, String>> it = rec -> eventId.toString().equals(KafkaProbe.header(rec, "ce_id"));
        return kafka.readUntil(DLQ, java.time.Duration.ofSeconds(30), rs -> rs.stream().anyMatch(it)).stream().filter(it).findFirst()
                .orElseThrow(() -> new AssertionError("reply " + eventId + " was not dead-lettered"));
    }

    Referral awaitStatus(UUID id, String status) {
        long until = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < until) {
            Referral r = current(id);
            if (status.equals(r.status)) {
                return r;
            }
            sleep();
        }
        throw new AssertionError("referral never became " + status + " (is " + current(id).status + ")");
    }

    static Referral current(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> Referral.<Referral>findById(id));
    }

    static Predicate<ConsumerRecord<String, String>> completedFor(UUID id) {
        return rec -> {
            JsonNode status = readTree(rec.value());
            return status.path("referralId").asText().equals(id.toString()) && status.path("status").asText().equals("completed");
        };
    }

    static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
