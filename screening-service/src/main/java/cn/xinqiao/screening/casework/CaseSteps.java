package cn.xinqiao.screening.casework;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.screening.domain.Procedure;
import cn.xinqiao.screening.domain.RiskLevel;
import cn.xinqiao.screening.riskqueue.RiskCase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** A case's procedure steps: scheduled when it opens or rises, recorded as done or as a documented exception. */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class CaseSteps {


    /** What the counsellor records about a step. */
    public record Record(String code, String outcome, OffsetDateTime at, String how, String exceptionCode, String note) {
    }

    @Inject
    ProcedureCatalog procedures;

    @Inject
    AuditTrail audit;

    @Inject
    CaseworkEvents events;

    /** The steps a case of {@code level} needs from {@code at}: all of them for a new case, the missing ones for a raised one. */
    public void schedule(RiskCase rc, RiskLevel level, OffsetDateTime at) {
        Procedure procedure = procedures.procedure();
        // a case whose procedure never started has no steps: no need to read them (the submission path calls this)
        Set<String> existing = rc.procedureVersion == null ? Set.of()
                : of(rc.id).stream().map(s -> s.key.code()).collect(Collectors.toSet());
        List<Procedure.Scheduled> steps = existing.isEmpty() ? procedure.schedule(level, at) : procedure.raise(level, existing, at);
        for (Procedure.Scheduled s : steps) {
            CaseStep step = new CaseStep();
            step.key = new CaseStep.Key(rc.id, s.code());
            step.dueAt = s.dueAt();
            step.critical = s.critical();
            step.persist();
        }
        if (!steps.isEmpty()) {
            events.scheduled(rc, rc.procedureVersion == null, steps, at);
            rc.procedureVersion = procedure.version();
        }
    }

    public List<CaseStep> of(UUID caseId) {
        return CaseStep.list("key.caseId = ?1 order by dueAt, key.code", caseId);
    }

    public boolean openCritical(UUID caseId) {
        return CaseStep.count("key.caseId = ?1 and critical = true and outcome is null", caseId) > 0;
    }

    public CaseStep record(RiskCase rc, Record in, String by, OffsetDateTime now) {
        CaseStep step = CaseStep.findById(new CaseStep.Key(rc.id, in.code()));
        if (step == null) {
            throw Problem.notFound("step");
        }
        if (!step.open()) {
            throw Problem.conflict("step-recorded", "this step is already recorded");
        }
        OffsetDateTime at = in.at() == null ? now : in.at();
        if (at.isAfter(now.plusMinutes(5))) {
            throw Problem.unprocessable("step-in-future", "a step is recorded once it is done: 'at' cannot be in the future");
        }
        if ("EXCEPTION".equals(in.outcome()) && (in.exceptionCode() == null || in.note() == null || in.note().isBlank())) {
            throw Problem.unprocessable("exception-undocumented", "an exception needs exceptionCode and a note explaining it");
        }
        step.outcome = in.outcome();
        step.exceptionCode = "EXCEPTION".equals(in.outcome()) ? in.exceptionCode() : null;
        step.how = in.how();
        step.note = in.note() == null || in.note().isBlank() ? null : in.note().strip();
        step.doneAt = at;
        step.doneBy = by;
        step.recordedAt = now;
        rc.updatedAt = now;
        events.stepRecorded(rc, step, now);
        audit.record(AuditTrail.Action.UPDATE, "case-step", rc.id + ":" + in.code(), rc.schoolId, in.outcome().toLowerCase());
        return step;
    }
}
