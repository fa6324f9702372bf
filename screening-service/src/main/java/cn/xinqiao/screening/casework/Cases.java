package cn.xinqiao.screening.casework;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.problem.ProblemDetails;
import cn.xinqiao.platform.problem.ProblemText;
import cn.xinqiao.screening.domain.Instrument;
import cn.xinqiao.screening.domain.RiskAssessment;
import cn.xinqiao.screening.domain.RiskLevel;
import cn.xinqiao.screening.domain.Scorer;
import cn.xinqiao.screening.greenchannel.ReferralRequests;
import cn.xinqiao.screening.instrument.InstrumentCatalog;
import cn.xinqiao.screening.riskqueue.CaseSource;
import cn.xinqiao.screening.riskqueue.CaseStatus;
import cn.xinqiao.screening.riskqueue.RiskCase;
import cn.xinqiao.screening.riskqueue.RiskCaseNote;
import cn.xinqiao.screening.roster.Student;
import cn.xinqiao.screening.submission.SubmissionService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Cases from daily work (对日常工作发现的学生): a counsellor opens one for a student without a screening, at the level
 * they judge (or higher, when an ASQ asked in person says so, scored by the same rules). The student's open case
 * outside campaigns is updated by a second report rather than doubled. HIGH and CRITICAL go to the partner hospital
 * through the same green channel as a screening.
 */
@ApplicationScoped
@Transactional
public class Cases {

    /** What the counsellor reports. */
    public record Report(String studentNumber, CaseSource source, RiskLevel riskLevel, String note, int[] asqAnswers) {
    }

    /** The case, and whether this report opened it. */
    public record Opened(RiskCase riskCase, boolean created) {
    }

    @Inject
    CaseSteps steps;

    @Inject
    ReferralRequests referrals;

    @Inject
    InstrumentCatalog instruments;

    @Inject
    SubmissionService submissions;

    @Inject
    AuditTrail audit;

    public Opened open(String schoolId, Report in, String by, OffsetDateTime now) {
        Student student = Student.bySchoolNumber(schoolId, in.studentNumber()).orElseThrow(() -> Problem.invalid("unknown student",
                List.of(new ProblemDetails.FieldError("studentNumber", "no student with this number in your school"))));
        RiskLevel level = in.riskLevel();
        List<RiskCase.Reason> reasons = new ArrayList<>(List.of(new RiskCase.Reason("DAILY_WORK:" + in.source().name(), null, null, null, null)));
        if (in.asqAnswers() != null) {
            Instrument asq = instruments.find("ASQ").orElseThrow();
            List<Instrument.AnswerProblem> problems = asq.answerProblems(in.asqAnswers());
            if (!problems.isEmpty()) {
                throw Problem.invalid(ProblemText.Text.of("detail.answers-do-not-fit", "ASQ"), problems.stream()
                        .map(p -> ProblemDetails.FieldError.of("asqAnswers", new ProblemText.Text(p.key(), p.args()))).toList());
            }
            var score = Scorer.score(asq, in.asqAnswers());
            RiskAssessment risk = submissions.policy().assess(score);
            level = RiskLevel.highest(level, risk.level());
            reasons.add(new RiskCase.Reason("ASQ:" + score.band(), "ASQ", score.total(), score.band(), score.hasCriticalItem()));
        }
        Opened found = outsideCampaigns(student, in.source(), by, now);
        RiskCase rc = found.riskCase();
        boolean created = found.created();
        raise(rc, student, level, reasons, now);
        RiskCaseNote note = new RiskCaseNote();
        note.id = UUID.randomUUID();
        note.caseId = rc.id;
        note.author = by;
        note.kind = "FOLLOW_UP";
        note.note = in.note().strip();
        note.createdAt = now;
        note.persist();
        audit.record(created ? AuditTrail.Action.CREATE : AuditTrail.Action.UPDATE, "risk-case", rc.id.toString(), schoolId,
                "case from daily work: " + in.source().name().toLowerCase());
        return new Opened(rc, created);
    }

    /** The student's open case outside campaigns (the one daily work and returns from hospital add to), or a new one of this source. */
    public Opened outsideCampaigns(Student student, CaseSource source, String by, OffsetDateTime now) {
        RiskCase rc = RiskCase.<RiskCase>find("studentId = ?1 and campaignId is null and status <> ?2", student.id, CaseStatus.CLOSED)
                .firstResultOptional().orElse(null);
        if (rc != null) {
            return new Opened(rc, false);
        }
        rc = new RiskCase();
        rc.id = UUID.randomUUID();
        rc.studentId = student.id;
        rc.schoolId = student.schoolId;
        rc.source = source;
        rc.openedBy = by;
        rc.status = CaseStatus.OPEN;
        rc.createdAt = now;
        rc.reasons = new ArrayList<>();
        return new Opened(rc, true);
    }

    /**
     * Adds the reasons to the case and raises it to {@code level} when that is higher: the new level's missing
     * procedure steps, and HIGH or CRITICAL to the partner hospital through the green channel.
     */
    public void raise(RiskCase rc, Student student, RiskLevel level, List<RiskCase.Reason> reasons, OffsetDateTime now) {
        RiskLevel before = rc.riskLevel == null ? RiskLevel.NONE : RiskLevel.valueOf(rc.riskLevel);
        RiskLevel after = RiskLevel.highest(before, level);
        rc.riskLevel = after.name();
        rc.riskRank = (short) after.ordinal();
        rc.reasons = new ArrayList<>(rc.reasons);
        rc.reasons.addAll(reasons);
        rc.updatedAt = now;
        rc.persist();
        if (after.compareTo(before) > 0) {
            steps.schedule(rc, after, now);
            if (after.raisesReferral()) {
                rc.referralRequestId = referrals.raise("COUNSELOR", rc.id, ReferralRequests.Subject.of(student), rc.campaignId, after.name(),
                        reasons);
                rc.status = CaseStatus.REFERRED;
            }
        }
    }
}
