package cn.xinqiao.referral.fhir;

import cn.xinqiao.referral.dispatch.StudentIdentity;
import cn.xinqiao.referral.domain.Risk;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The green-channel message to one hospital: a FHIR R4 {@code Bundle} of type {@code message} holding a
 * {@code MessageHeader}, the {@code ServiceRequest} (the referral, with the student as a contained
 * {@code Patient} and the screening summary as a contained {@code QuestionnaireResponse}) and the
 * {@code Task} that tracks it (status + business status, acknowledgement deadline). Pure mapping, no I/O.
 */
public final class FhirReferralMessage {

    public static final String BASE = "https://xinqiao.cn/fhir/";
    public static final String CS_EVENT = BASE + "CodeSystem/message-event";
    public static final String CS_REASON = BASE + "CodeSystem/referral-reason";
    public static final String CS_REFERRAL_TYPE = BASE + "CodeSystem/referral-type";
    public static final String CS_BUSINESS_STATUS = BASE + "CodeSystem/referral-business-status";
    public static final String NS_REFERRAL = BASE + "NamingSystem/referral";
    public static final String NS_STUDENT_KEY = BASE + "NamingSystem/student-key";
    public static final String NS_STUDENT_NUMBER = BASE + "NamingSystem/student-number/";
    public static final String NS_ORGANIZATION = BASE + "NamingSystem/organization";

    public enum Kind {
        NEW("referral-request", "新转介 / new referral"),
        UPDATE("referral-update", "转介更新 / referral updated"),
        CANCEL("referral-cancel", "转介撤回 / referral withdrawn");

        final String code;
        final String display;

        Kind(String code, String display) {
            this.code = code;
            this.display = display;
        }
    }

    public record Reason(String code, String instrumentId, Integer totalScore, String band, Boolean criticalItem) {
    }

    /** Everything the message says; {@code student} may carry only the key when the roster had no match. */
    public record Content(UUID messageId, Kind kind, UUID referralId, String hospitalId, String hospitalName,
                          String schoolId, Risk risk, List<Reason> reasons, String taskStatus, String businessStatus,
                          OffsetDateTime requestedAt, OffsetDateTime acknowledgeBy, OffsetDateTime visitBy,
                          StudentIdentity student, OffsetDateTime now) {
    }

    private FhirReferralMessage() {
    }

    public static Bundle build(Content c) {
        String id = c.referralId().toString();
        Patient patient = patient(c.student());
        QuestionnaireResponse summary = summary(c);

        ServiceRequest request = new ServiceRequest();
        request.setId(id);
        request.addIdentifier(new Identifier().setSystem(NS_REFERRAL).setValue(id));
        request.setStatus(c.kind() == Kind.CANCEL ? ServiceRequest.ServiceRequestStatus.REVOKED : ServiceRequest.ServiceRequestStatus.ACTIVE);
        request.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        request.setPriority(ServiceRequest.ServiceRequestPriority.fromCode(c.risk().fhirPriority()));
        request.getCode().addCoding(new Coding(CS_REFERRAL_TYPE, "mental-health-assessment", "心理健康评估（医教结合绿色通道）"))
                .setText("心理健康评估 / mental health assessment (green channel)");
        request.addContained(patient);
        request.addContained(summary);
        request.setSubject(new Reference("#patient"));
        request.setAuthoredOn(date(c.requestedAt()));
        request.setOccurrence(new Period().setStart(date(c.requestedAt())).setEnd(date(c.visitBy())));
        request.setRequester(organization(c.schoolId(), c.student().schoolName()));
        request.addPerformer(organization(c.hospitalId(), c.hospitalName()));
        for (Reason reason : c.reasons()) {
            request.addReasonCode(new CodeableConcept(new Coding(CS_REASON, reason.code(), null)).setText(reasonText(reason)));
        }
        request.addSupportingInfo(new Reference("#screening"));

        Task task = new Task();
        task.setId(id);
        task.addIdentifier(new Identifier().setSystem(NS_REFERRAL).setValue(id));
        task.setStatus(Task.TaskStatus.fromCode(c.taskStatus()));
        task.setBusinessStatus(new CodeableConcept(new Coding(CS_BUSINESS_STATUS, c.businessStatus(), null)));
        task.setIntent(Task.TaskIntent.ORDER);
        task.setPriority(Task.TaskPriority.fromCode(c.risk().fhirPriority()));
        task.setFocus(new Reference("ServiceRequest/" + id));
        task.setFor(new Reference().setIdentifier(new Identifier().setSystem(NS_STUDENT_KEY).setValue(c.student().studentKey())));
        task.setAuthoredOn(date(c.requestedAt()));
        task.setLastModified(date(c.now()));
        task.setRequester(organization(c.schoolId(), c.student().schoolName()));
        task.setOwner(organization(c.hospitalId(), c.hospitalName()));
        task.getRestriction().setPeriod(new Period().setEnd(date(c.acknowledgeBy())));

        MessageHeader header = new MessageHeader();
        header.setId(c.messageId().toString());
        header.setEvent(new Coding(CS_EVENT, c.kind().code, c.kind().display));
        header.addDestination().setName(c.hospitalName()).setEndpoint("urn:xinqiao:hospital:" + c.hospitalId());
        header.getSource().setName("心桥 Xinqiao referral-service").setEndpoint("urn:xinqiao:referral-service");
        header.addFocus(new Reference(BASE + "ServiceRequest/" + id));
        header.addFocus(new Reference(BASE + "Task/" + id));

        Bundle bundle = new Bundle();
        bundle.setId(c.messageId().toString());
        bundle.setType(Bundle.BundleType.MESSAGE);
        bundle.setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + c.messageId()));
        bundle.setTimestamp(date(c.now()));
        bundle.addEntry().setFullUrl("urn:uuid:" + c.messageId()).setResource(header);
        bundle.addEntry().setFullUrl(BASE + "ServiceRequest/" + id).setResource(request);
        bundle.addEntry().setFullUrl(BASE + "Task/" + id).setResource(task);
        return bundle;
    }

    private static Patient patient(StudentIdentity s) {
        Patient p = new Patient();
        p.setId("patient");
        p.addIdentifier(new Identifier().setSystem(NS_STUDENT_KEY).setValue(s.studentKey()));
        if (s.studentNumber() != null) {
            p.addIdentifier(new Identifier().setSystem(NS_STUDENT_NUMBER + s.schoolId()).setValue(s.studentNumber())
                    .setAssigner(new Reference().setDisplay(s.schoolName())));
        }
        if (s.name() != null) {
            p.addName(new HumanName().setText(s.name()).setUse(HumanName.NameUse.OFFICIAL));
        }
        p.setGender(switch (s.sex() == null ? "" : s.sex()) {
            case "MALE" -> Enumerations.AdministrativeGender.MALE;
            case "FEMALE" -> Enumerations.AdministrativeGender.FEMALE;
            default -> Enumerations.AdministrativeGender.UNKNOWN;
        });
        if (s.birthDate() != null) {
            p.setBirthDateElement(new DateType(s.birthDate()));
        }
        if (s.guardianName() != null || s.guardianPhone() != null) {
            Patient.ContactComponent guardian = p.addContact();
            guardian.addRelationship(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "GUARD", "guardian"))
                    .setText("监护人 / guardian"));
            if (s.guardianName() != null) {
                guardian.setName(new HumanName().setText(s.guardianName()));
            }
            if (s.guardianPhone() != null) {
                guardian.addTelecom(new ContactPoint().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(s.guardianPhone()));
            }
        }
        return p;
    }

    /** The screening summary: one item per coded reason, with instrument, total score, band and critical-item flag. */
    private static QuestionnaireResponse summary(Content c) {
        QuestionnaireResponse qr = new QuestionnaireResponse();
        qr.setId("screening");
        qr.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        qr.setSubject(new Reference("#patient"));
        qr.setAuthoredElement(new org.hl7.fhir.r4.model.DateTimeType(date(c.requestedAt())));
        int n = 0;
        for (Reason reason : c.reasons()) {
            QuestionnaireResponse.QuestionnaireResponseItemComponent item = qr.addItem().setLinkId("reason-" + (++n)).setText(reasonText(reason));
            item.addItem().setLinkId("reason-" + n + ".code").setText("原因 / reason").addAnswer().setValue(new StringType(reason.code()));
            if (reason.instrumentId() != null) {
                item.addItem().setLinkId("reason-" + n + ".instrument").setText("量表 / instrument").addAnswer().setValue(new StringType(reason.instrumentId()));
            }
            if (reason.totalScore() != null) {
                item.addItem().setLinkId("reason-" + n + ".score").setText("总分 / total score").addAnswer()
                        .setValue(new org.hl7.fhir.r4.model.IntegerType(reason.totalScore()));
            }
            if (reason.band() != null) {
                item.addItem().setLinkId("reason-" + n + ".band").setText("分级 / band").addAnswer().setValue(new StringType(reason.band()));
            }
            if (reason.criticalItem() != null) {
                item.addItem().setLinkId("reason-" + n + ".critical").setText("危急条目 / critical item").addAnswer()
                        .setValue(new org.hl7.fhir.r4.model.BooleanType(reason.criticalItem()));
            }
        }
        return qr;
    }

    private static String reasonText(Reason r) {
        StringBuilder text = new StringBuilder(r.code());
        if (r.instrumentId() != null && r.totalScore() != null) {
            text.append(" (").append(r.instrumentId()).append(' ').append(r.totalScore());
            if (r.band() != null) {
                text.append(", ").append(r.band());
            }
            text.append(')');
        }
        if (Boolean.TRUE.equals(r.criticalItem())) {
            text.append(" — 危急条目阳性 / critical item positive");
        }
        return text.toString();
    }

    private static Reference organization(String id, String name) {
        return new Reference().setIdentifier(new Identifier().setSystem(NS_ORGANIZATION).setValue(id)).setDisplay(name == null ? id : name);
    }

    private static Date date(OffsetDateTime t) {
        return t == null ? null : Date.from(t.toInstant());
    }
}
