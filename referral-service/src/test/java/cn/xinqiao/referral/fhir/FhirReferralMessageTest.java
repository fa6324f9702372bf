package cn.xinqiao.referral.fhir;

import cn.xinqiao.referral.dispatch.StudentIdentity;
import cn.xinqiao.referral.domain.Risk;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hospital message validates against FHIR R4 and says what the clinician needs; a broken one is caught. */
class FhirReferralMessageTest {

    static final FhirMessages FHIR = new FhirMessages();
    static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 22, 8, 0, 0, 0, ZoneOffset.UTC);
    static final StudentIdentity STUDENT = new StudentIdentity("k".repeat(43), "S370811001", "济宁市第一中学", "20240101",
            "张小明", "MALE", "2010-05-01", 10, "1班", "张建国", "13800000000");

    static FhirReferralMessage.Content content(FhirReferralMessage.Kind kind, StudentIdentity student) {
        return new FhirReferralMessage.Content(UUID.randomUUID(), kind, UUID.randomUUID(), "H370800001", "济宁市精神卫生中心",
                "S370811001", Risk.CRITICAL, List.of(new FhirReferralMessage.Reason("PHQ-A:item9", "PHQ-A", 21, "severe", true),
                new FhirReferralMessage.Reason("HOTLINE:suicidal-thoughts", null, null, null, null)),
                "requested", "routed", T0, T0.plusHours(1), T0.plusHours(72), student, T0.plusMinutes(1));
    }

    @Test
    void aNewReferralIsAValidR4MessageBundleWithTheStudentAndTheScreeningSummaryContained() {
        Bundle bundle = FhirReferralMessage.build(content(FhirReferralMessage.Kind.NEW, STUDENT));
        assertEquals(List.of(), FHIR.errors(bundle));

        Bundle parsed = FHIR.parse(FHIR.json(bundle));
        assertEquals(Bundle.BundleType.MESSAGE, parsed.getType());
        assertEquals("MessageHeader", parsed.getEntry().get(0).getResource().fhirType());
        ServiceRequest request = (ServiceRequest) parsed.getEntry().get(1).getResource();
        assertEquals(ServiceRequest.ServiceRequestPriority.STAT, request.getPriority());
        assertEquals(2, request.getReasonCode().size());
        Patient patient = (Patient) request.getContained().stream().filter(r -> r instanceof Patient).findFirst().orElseThrow();
        assertEquals("张小明", patient.getNameFirstRep().getText());
        assertEquals("13800000000", patient.getContactFirstRep().getTelecomFirstRep().getValue());
        Task task = (Task) parsed.getEntry().get(2).getResource();
        assertEquals(Task.TaskStatus.REQUESTED, task.getStatus());
        assertEquals("routed", task.getBusinessStatus().getCodingFirstRep().getCode());
        assertEquals(T0.plusHours(1).toInstant(), task.getRestriction().getPeriod().getEnd().toInstant());
    }

    @Test
    void aStudentTheRosterDoesNotKnowStillMakesAValidMessageAndACancelIsRevoked() {
        StudentIdentity keyOnly = new StudentIdentity("k".repeat(43), "S370811001", null, null, null, null, null, null, null, null, null);
        assertEquals(List.of(), FHIR.errors(FhirReferralMessage.build(content(FhirReferralMessage.Kind.NEW, keyOnly))));
        FhirReferralMessage.Content cancel = content(FhirReferralMessage.Kind.CANCEL, STUDENT);
        cancel = new FhirReferralMessage.Content(cancel.messageId(), cancel.kind(), cancel.referralId(), cancel.hospitalId(),
                cancel.hospitalName(), cancel.schoolId(), cancel.risk(), cancel.reasons(), "cancelled", "cancelled",
                cancel.requestedAt(), cancel.acknowledgeBy(), cancel.visitBy(), cancel.student(), cancel.now());
        Bundle bundle = FhirReferralMessage.build(cancel);
        assertEquals(List.of(), FHIR.errors(bundle));
        assertEquals(ServiceRequest.ServiceRequestStatus.REVOKED, ((ServiceRequest) bundle.getEntry().get(1).getResource()).getStatus());
    }

    @Test
    void theValidatorRejectsABrokenMessage() {
        Bundle bundle = FhirReferralMessage.build(content(FhirReferralMessage.Kind.NEW, STUDENT));
        ((Task) bundle.getEntry().get(2).getResource()).setIntent(null);          // Task.intent is 1..1
        ((ServiceRequest) bundle.getEntry().get(1).getResource()).setSubject(null); // ServiceRequest.subject is 1..1
        List<String> errors = FHIR.errors(bundle);
        assertFalse(errors.isEmpty());
        assertTrue(errors.stream().anyMatch(e -> e.contains("intent")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("subject")), errors.toString());
    }

    /**
     * The pooled validators find exactly what HAPI's own {@code FhirValidator} (a fresh validator per call) finds,
     * on good and broken messages alike, and a validator that just saw a broken message has nothing left over when
     * it is handed a good one (the same pooled instance is reused: the pool holds one per thread at a time).
     */
    @Test
    void pooledValidatorsFindWhatHapisOwnValidatorFindsAndCarryNothingOver() {
        var hapi = FHIR.module();
        var reference = ca.uhn.fhir.context.FhirContext.forR4Cached().newValidator().registerValidatorModule(hapi);
        Bundle good = FhirReferralMessage.build(content(FhirReferralMessage.Kind.NEW, STUDENT));
        Bundle broken = FhirReferralMessage.build(content(FhirReferralMessage.Kind.UPDATE, STUDENT));
        ((Task) broken.getEntry().get(2).getResource()).setIntent(null);
        ((Task) broken.getEntry().get(2).getResource()).setStatus(null);
        for (int round = 0; round < 3; round++) {
            for (Bundle bundle : List.of(broken, good)) {
                List<String> hapiErrors = reference.validateWithResult(FHIR.json(bundle)).getMessages().stream()
                        .filter(m -> m.getSeverity().ordinal() >= ca.uhn.fhir.validation.ResultSeverityEnum.ERROR.ordinal())
                        .map(m -> m.getLocationString() + ": " + m.getMessage()).sorted().toList();
                assertEquals(hapiErrors, FHIR.errors(bundle).stream().sorted().toList());
            }
        }
        assertTrue(FHIR.errors(good).isEmpty());
        assertFalse(FHIR.errors(broken).isEmpty());
    }

    /**
     * A pooled validator is reused for message after message and keeps nothing of them: HAPI's observer of codings
     * would otherwise hold every message's element tree (0.35 MB each) for as long as the validator lives.
     */
    @Test
    void aPooledValidatorIsReusedAndHoldsNothingOfTheMessagesItValidated() {
        FhirMessages fhir = new FhirMessages();
        String json = fhir.json(FhirReferralMessage.build(content(FhirReferralMessage.Kind.NEW, STUDENT)));
        for (int i = 0; i < 30; i++) {
            assertEquals(List.of(), fhir.errors(json));
        }
        assertEquals(1, fhir.validatorsBuilt(), "one thread validated 30 messages with one validator");
        assertEquals(0, fhir.observedCodingsHeld(), "the validator holds none of the codings it saw");
    }

    @Test
    void theWarmUpValidatesARepresentativeMessageAndLeavesOneValidatorInThePool() {
        FhirMessages fhir = new FhirMessages();
        Bundle sample = FhirReferralMessage.build(FhirMessages.sample());
        assertEquals(List.of(), fhir.errors(sample), "the warm-up's sample is a valid referral message");
        assertEquals(2, sample.getEntry().stream().filter(e -> e.getResource() instanceof ServiceRequest).findFirst()
                .map(e -> ((ServiceRequest) e.getResource()).getReasonCode().size()).orElse(0),
                "shaped like a real referral: two coded reasons");

        double lastMs = fhir.warmUp(20);
        assertTrue(lastMs > 0 && lastMs < 10_000, "the warm-up reports its last messages' time: " + lastMs);
        assertEquals(1, fhir.validatorsBuilt(), "the warm-up reuses one pooled validator");
        assertEquals(0, fhir.observedCodingsHeld());
    }
}
