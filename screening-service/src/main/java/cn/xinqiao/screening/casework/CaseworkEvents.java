package cn.xinqiao.screening.casework;

import cn.xinqiao.platform.outbox.Outbox;
import cn.xinqiao.platform.tenancy.Districts;
import cn.xinqiao.screening.domain.Procedure;
import cn.xinqiao.screening.riskqueue.CaseSource;
import cn.xinqiao.screening.riskqueue.RiskCase;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * {@code screening.casework.v1}: how the school works its cases, de-identified, for the bureau's care-loop reports
 * (cases opened by source, procedure steps and guardian contact on time, follow-ups on time and their outcomes).
 * The case's id, school, county, source and level, with step codes, deadlines, outcome codes and times: never a
 * student, a note, or how a step was done. Written to the outbox in the transaction that made the change.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class CaseworkEvents {

    public static final String TOPIC = "screening.casework.v1";
    public static final String TYPE = "cn.xinqiao.screening.casework.v1";

    public enum Kind { SCHEDULED, STEP_RECORDED, FOLLOW_UPS_PLANNED, FOLLOW_UP_RECORDED, CLOSED, STEP_OVERDUE, FOLLOW_UP_OVERDUE }

    /** Who an overdue step or follow-up was escalated to (the procedure's clocks). */
    public enum EscalatedTo { SCHOOL_ADMIN, BUREAU }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(String code, OffsetDateTime dueAt, Boolean critical, OffsetDateTime doneAt, String outcome, String exceptionCode) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FollowUpItem(UUID followUpId, LocalDate dueOn, String by, OffsetDateTime doneAt, String outcome) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Event(Kind kind, UUID caseId, String schoolId, String districtCode, CaseSource source, String riskLevel,
                        Boolean opened, List<Step> steps, List<FollowUpItem> followUps, EscalatedTo escalatedTo, OffsetDateTime occurredAt) {
    }

    @Inject
    Outbox outbox;

    void scheduled(RiskCase rc, boolean opened, List<Procedure.Scheduled> steps, OffsetDateTime now) {
        publish(rc, Kind.SCHEDULED, opened, steps.stream().map(s -> new Step(s.code(), s.dueAt(), s.critical(), null, null, null)).toList(),
                null, now);
    }

    void stepRecorded(RiskCase rc, CaseStep step, OffsetDateTime now) {
        publish(rc, Kind.STEP_RECORDED, null, List.of(new Step(step.key.code(), step.dueAt, step.critical, step.doneAt, step.outcome,
                step.exceptionCode)), null, now);
    }

    void followUpsPlanned(RiskCase rc, List<FollowUpItem> planned, OffsetDateTime now) {
        publish(rc, Kind.FOLLOW_UPS_PLANNED, null, null, planned, now);
    }

    void followUpRecorded(RiskCase rc, FollowUp f, OffsetDateTime now) {
        publish(rc, Kind.FOLLOW_UP_RECORDED, null, null, List.of(new FollowUpItem(f.id, f.dueOn, f.byWhom, f.doneAt, f.outcome)), now);
    }

    public void closed(RiskCase rc, OffsetDateTime now) {
        publish(rc, Kind.CLOSED, null, null, null, now);
    }

    /** A procedure step past its deadline, escalated by the clocks (once per level). */
    void stepOverdue(RiskCase rc, String code, OffsetDateTime dueAt, Boolean critical, EscalatedTo to, OffsetDateTime now) {
        write(rc, Kind.STEP_OVERDUE, null, List.of(new Step(code, dueAt, critical, null, null, null)), null, to, now);
    }

    /** A follow-up past its day, escalated by the clocks (once per level). */
    void followUpOverdue(RiskCase rc, UUID followUpId, LocalDate dueOn, String by, EscalatedTo to, OffsetDateTime now) {
        write(rc, Kind.FOLLOW_UP_OVERDUE, null, null, List.of(new FollowUpItem(followUpId, dueOn, by, null, null)), to, now);
    }

    private void publish(RiskCase rc, Kind kind, Boolean opened, List<Step> steps, List<FollowUpItem> followUps, OffsetDateTime now) {
        write(rc, kind, opened, steps, followUps, null, now);
    }

    private void write(RiskCase rc, Kind kind, Boolean opened, List<Step> steps, List<FollowUpItem> followUps, EscalatedTo to,
                       OffsetDateTime now) {
        outbox.publish(TOPIC, rc.id.toString(), TYPE, rc.id.toString(), new Event(kind, rc.id, rc.schoolId,
                Districts.countyOfSchool(rc.schoolId), rc.source == null ? CaseSource.SCREENING : rc.source, rc.riskLevel, opened, steps,
                followUps, to, now));
    }
}
