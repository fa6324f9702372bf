package cn.xinqiao.referral.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import cn.xinqiao.referral.domain.Lifecycle.Step;
import cn.xinqiao.referral.lifecycle.ReturnSummary;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Type;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A hospital's answer written to its own {@code referral.hospital.<hospitalId>.replies.v1} topic: a FHIR R4
 * {@code Task} for one referral (the one it received, same identifier), its new status, and on completion the
 * return summary as {@code Task.output}. Pure mapping, no I/O; the profile is written out for integrators in
 * {@code contracts/README.md}. A Task that cannot be read as a lifecycle step is an {@link Invalid} with a reason
 * that names only structure, never a value from the message.
 */
public record TaskReply(UUID referralId, String ownerHospitalId, Step step, String reason, String note,
                        OffsetDateTime appointmentAt, ReturnSummary returnSummary) {

    public static final String CS_RETURN_SUMMARY = FhirReferralMessage.BASE + "CodeSystem/return-summary";
    public static final String CS_ACCOMMODATION = FhirReferralMessage.BASE + "CodeSystem/school-accommodation";
    public static final Set<String> ACCOMMODATIONS = Set.of("REDUCED_WORKLOAD", "EXAM_ARRANGEMENTS", "SEATING_SUPERVISION", "LEAVE",
            "GRADUAL_RETURN", "OTHER");
    private static final String UCUM = "http://unitsofmeasure.org";

    /** The Task says something the lifecycle cannot apply; the reason is safe to log and to dead-letter. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String reason) {
            super(reason);
        }
    }

    public static TaskReply from(Task task) {
        UUID referral = referralId(task);
        String owner = owner(task);
        Step step = step(task);
        String reason = task.hasStatusReason() ? reasonOf(task.getStatusReason()) : null;
        String note = task.hasNote() ? task.getNoteFirstRep().getText() : null;
        OffsetDateTime appointment = task.getExecutionPeriod().hasStart() ? at(task.getExecutionPeriod().getStartElement()) : null;
        ReturnSummary summary = task.hasOutput() ? summary(task.getOutput()) : null;
        if (summary != null && step != Step.COMPLETED) {
            throw new Invalid("Task.output (the return summary) comes with status 'completed' only");
        }
        if (note != null && note.length() > 2000) {
            throw new Invalid("Task.note is longer than 2000 characters");
        }
        if (reason != null && reason.length() > 500) {
            throw new Invalid("Task.statusReason is longer than 500 characters");
        }
        return new TaskReply(referral, owner, step, reason, note, appointment, summary);
    }

    private static String owner(Task task) {
        Identifier id = task.getOwner().getIdentifier();
        return FhirReferralMessage.NS_ORGANIZATION.equals(id.getSystem()) ? id.getValue() : null;
    }

    private static UUID referralId(Task task) {
        for (Identifier id : task.getIdentifier()) {
            if (FhirReferralMessage.NS_REFERRAL.equals(id.getSystem())) {
                try {
                    return UUID.fromString(id.getValue());
                } catch (RuntimeException e) {
                    throw new Invalid("Task.identifier (" + FhirReferralMessage.NS_REFERRAL + ") is not a referral id");
                }
            }
        }
        throw new Invalid("Task.identifier has no referral id (system " + FhirReferralMessage.NS_REFERRAL + ")");
    }

    /** Task.status names the step; each step has its own status, so no business status is needed to tell them apart. */
    private static Step step(Task task) {
        if (!task.hasStatus()) {
            throw new Invalid("Task.status is missing");
        }
        String status = task.getStatus().toCode();
        return Arrays.stream(Step.values()).filter(s -> s.taskStatus.equals(status)).findFirst()
                .orElseThrow(() -> new Invalid("Task.status '" + status + "' is not a step a hospital takes "
                        + "(accepted, rejected, in-progress, completed, failed, cancelled)"));
    }

    private static String reasonOf(CodeableConcept reason) {
        if (reason.hasText()) {
            return reason.getText();
        }
        return reason.hasCoding() ? reason.getCodingFirstRep().getCode() : null;
    }

    private static ReturnSummary summary(List<Task.TaskOutputComponent> outputs) {
        String recommendations = null;
        List<String> accommodations = new ArrayList<>();
        Boolean medication = null;
        OffsetDateTime next = null;
        List<ReturnSummary.FollowUp> plan = new ArrayList<>();
        for (Task.TaskOutputComponent output : outputs) {
            Coding type = output.getType().getCoding().stream().filter(c -> CS_RETURN_SUMMARY.equals(c.getSystem())).findFirst()
                    .orElseThrow(() -> new Invalid("Task.output.type has no code from " + CS_RETURN_SUMMARY));
            Type value = output.getValue();
            switch (type.getCode()) {
                case "recommendations" -> {
                    String text = value(value, StringType.class, type).getValue();
                    if (text != null && text.length() > 4000) {
                        throw new Invalid("the recommendations are longer than 4000 characters");
                    }
                    recommendations = text == null || text.isBlank() ? null : text.strip();
                }
                case "accommodation" -> {
                    String code = value(value, CodeableConcept.class, type).getCoding().stream()
                            .filter(c -> CS_ACCOMMODATION.equals(c.getSystem())).map(Coding::getCode).findFirst().orElse(null);
                    if (code == null || !ACCOMMODATIONS.contains(code)) {
                        throw new Invalid("an accommodation must be coded from " + CS_ACCOMMODATION + " " + ACCOMMODATIONS);
                    }
                    if (!accommodations.contains(code)) {
                        accommodations.add(code);
                    }
                }
                case "medication" -> medication = value(value, BooleanType.class, type).getValue();
                case "next-appointment" -> next = at(value(value, DateTimeType.class, type));
                case "follow-up-school", "follow-up-hospital" -> plan.add(new ReturnSummary.FollowUp(days(value(value, Duration.class, type)),
                        type.getCode().endsWith("school") ? "SCHOOL" : "HOSPITAL"));
                default -> throw new Invalid("Task.output.type '" + type.getCode() + "' is not one of recommendations, accommodation, "
                        + "medication, next-appointment, follow-up-school, follow-up-hospital");
            }
        }
        if (plan.size() > 10) {
            throw new Invalid("a follow-up plan has at most 10 follow-ups");
        }
        return new ReturnSummary(recommendations, List.copyOf(accommodations), medication, next, List.copyOf(plan));
    }

    private static <T extends Type> T value(Type value, Class<T> expected, Coding type) {
        if (!expected.isInstance(value)) {
            throw new Invalid("Task.output '" + type.getCode() + "' needs a value" + expected.getSimpleName().replace("Type", ""));
        }
        return expected.cast(value);
    }

    private static int days(Duration d) {
        if (!UCUM.equals(d.getSystem()) || !"d".equals(d.getCode()) || d.getValue() == null) {
            throw new Invalid("a follow-up is a Duration in days (system " + UCUM + ", code d)");
        }
        int days = d.getValue().intValue();
        if (days < 1 || days > 365 || d.getValue().scale() > 0 && d.getValue().stripTrailingZeros().scale() > 0) {
            throw new Invalid("a follow-up is a whole number of days from 1 to 365");
        }
        return days;
    }

    private static OffsetDateTime at(DateTimeType t) {
        if (t.getValue() == null || t.getPrecision().compareTo(TemporalPrecisionEnum.MINUTE) < 0) {
            throw new Invalid("a time must be a dateTime with a time of day and a zone");
        }
        return t.getValue().toInstant().atOffset(ZoneOffset.UTC);
    }
}
