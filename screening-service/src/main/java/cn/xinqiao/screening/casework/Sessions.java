package cn.xinqiao.screening.casework;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.screening.domain.RiskLevel;
import cn.xinqiao.screening.riskqueue.RiskCase;
import cn.xinqiao.screening.roster.Student;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Counselling sessions of a case. A session completes the procedure's open session step (the first session of a
 * HIGH case, the session of a MODERATE one); an assessment above the case's level raises the case like any report.
 */
@ApplicationScoped
@Transactional
public class Sessions {

    /** The procedure steps a session is. */
    static final Set<String> SESSION_STEPS = Set.of("FIRST_SESSION", "COUNSELLING_SESSION");
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    public record Held(LocalDate heldOn, int minutes, String kind, RiskLevel riskLevel, boolean safetyConcern, String progress,
                       String privateNotes) {
    }

    /** A session as a reader may see it: {@code privateNotes} only for the school's counsellors. */
    public record View(UUID id, LocalDate heldOn, int minutes, String kind, String riskLevel, boolean safetyConcern, String progress,
                       String privateNotes, String counsellor) {
        static View of(CounsellingSession s, boolean withNotes) {
            return new View(s.id, s.heldOn, s.minutes, s.kind, s.riskLevel, s.safetyConcern, s.progress,
                    withNotes ? s.privateNotes : null, s.counsellor);
        }
    }

    @Inject
    Cases cases;

    @Inject
    AuditTrail audit;

    public CounsellingSession record(RiskCase rc, Held in, String by, OffsetDateTime now) {
        if (in.heldOn().isAfter(now.atZoneSameInstant(CHINA).toLocalDate())) {
            throw Problem.unprocessable("session-in-future", "a session is recorded once it was held: 'heldOn' cannot be in the future");
        }
        CounsellingSession s = new CounsellingSession();
        s.id = UUID.randomUUID();
        s.caseId = rc.id;
        s.schoolId = rc.schoolId;
        s.heldOn = in.heldOn();
        s.minutes = in.minutes();
        s.kind = in.kind();
        s.riskLevel = in.riskLevel().name();
        s.safetyConcern = in.safetyConcern();
        s.progress = in.progress();
        s.privateNotes = in.privateNotes() == null || in.privateNotes().isBlank() ? null : in.privateNotes().strip();
        s.counsellor = by;
        s.createdAt = now;
        s.persist();
        for (CaseStep step : CaseStep.<CaseStep>list("key.caseId = ?1 and outcome is null", rc.id)) {
            if (SESSION_STEPS.contains(step.key.code())) {
                step.outcome = "DONE";
                step.how = "IN_PERSON";
                step.doneAt = in.heldOn().atStartOfDay(CHINA).toOffsetDateTime();
                step.doneBy = by;
                step.recordedAt = now;
            }
        }
        if (in.riskLevel().compareTo(RiskLevel.valueOf(rc.riskLevel)) > 0) {
            cases.raise(rc, Student.findById(rc.studentId), in.riskLevel(),
                    List.of(new RiskCase.Reason("COUNSELOR:session-" + in.progress().toLowerCase(), null, null, null, null)), now);
        }
        rc.updatedAt = now;
        audit.record(AuditTrail.Action.CREATE, "counselling-session", s.id.toString(), rc.schoolId, "counselling session");
        return s;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<View> of(RiskCase rc, boolean withNotes) {
        return CounsellingSession.<CounsellingSession>list("caseId = ?1 order by heldOn, createdAt", rc.id).stream()
                .map(s -> View.of(s, withNotes)).toList();
    }
}
