package cn.xinqiao.screening.conflict;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.outbox.Outbox;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.problem.ProblemDetails;
import cn.xinqiao.screening.roster.Student;
import cn.xinqiao.screening.submission.Enrolments;
import cn.xinqiao.screening.submission.ResultEvent;
import cn.xinqiao.screening.submission.Submission;
import cn.xinqiao.screening.submission.SubmissionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Online and paper answers for the same student + campaign + instrument never count twice: the second is kept
 * as a CONFLICT, and a counsellor decides which one counts.
 */
@ApplicationScoped
@Transactional
public class ConflictReview {

    /** One side of a conflict, as the counsellor compares them. */
    public record Side(UUID submissionId, String mode, OffsetDateTime submittedAt, String enteredBy, int totalScore, String band,
                       String riskLevel, List<Integer> answers) {
        static Side of(Submission s) {
            return new Side(s.id, s.mode.name(), s.submittedAt, s.enteredBy, s.totalScore, s.band, s.riskLevel, List.of(s.answers));
        }
    }

    public record Conflict(UUID conflictId, String studentNumber, String studentName, int grade, String className,
                           String instrumentId, Side counted, Side conflicting) {
    }

    @Inject
    EntityManager em;

    @Inject
    Enrolments enrolments;

    @Inject
    Outbox outbox;

    @Inject
    AuditTrail audit;

    /** Open online/paper conflicts of a school in a campaign, both sides side by side (identifiable: audited). */
    public List<Conflict> conflicts(UUID campaignId, String schoolId) {
        List<Submission> open = Submission.list("campaignId = ?1 and schoolId = ?2 and status = ?3 order by submittedAt",
                campaignId, schoolId, SubmissionStatus.CONFLICT);
        List<Conflict> out = new ArrayList<>();
        for (Submission c : open) {
            Submission counted = counted(c);
            Student student = Student.findById(c.studentId);
            out.add(new Conflict(c.id, student.studentNumber, student.name, student.grade, student.className, c.instrumentId,
                    counted == null ? null : Side.of(counted), Side.of(c)));
        }
        audit.record(AuditTrail.Action.READ, "submission-conflicts", campaignId.toString(), schoolId, "conflict review");
        return out;
    }

    /**
     * A counsellor's decision on a conflict. KEEP: the counted submission stays. REPLACE: the conflicting one
     * counts instead; its result is published with {@code supersedes} = the replaced one, so reporting moves
     * the student's numbers over in the same step. Either way the conflict is closed with who, when and why.
     */
    public Submission resolve(UUID conflictId, String schoolId, String decision, String note, String by) {
        Submission c = Submission.findById(conflictId);
        if (c == null || !c.schoolId.equals(schoolId)) {
            throw Problem.notFound("conflict");
        }
        enrolments.lockStudents(List.<UUID[]>of(new UUID[]{c.campaignId, c.studentId}));
        em.refresh(c);
        if (c.status != SubmissionStatus.CONFLICT) {
            throw Problem.conflict("already-resolved", "this conflict has already been resolved");
        }
        List<ProblemDetails.FieldError> errors = new ArrayList<>();
        if (decision == null || !List.of("KEEP", "REPLACE").contains(decision)) {
            errors.add(new ProblemDetails.FieldError("decision", "must be KEEP or REPLACE"));
        }
        if (note == null || note.isBlank() || note.length() > 500) {
            errors.add(new ProblemDetails.FieldError("note", "say why (1–500 characters), e.g. 纸质问卷录入有误"));
        }
        if (!errors.isEmpty()) {
            throw Problem.invalid("the conflict cannot be resolved", errors);
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        c.resolution = decision;
        c.resolutionNote = note.strip();
        c.resolvedBy = by;
        c.resolvedAt = now;
        Submission counted = counted(c);
        if ("KEEP".equals(decision) || counted == null) {
            c.status = SubmissionStatus.RESOLVED;
        } else {
            counted.status = SubmissionStatus.RESOLVED;
            counted.resolution = "REPLACED";
            counted.resolvedBy = by;
            counted.resolvedAt = now;
            em.flush(); // the partial unique index allows one COUNTED at a time
            c.status = SubmissionStatus.COUNTED;
            Student student = Student.findById(c.studentId);
            outbox.publishAll(List.of(ResultEvent.of(c, student.studentKey, student.grade, student.sex, counted.id).message()));
        }
        audit.record(AuditTrail.Action.UPDATE, "submission", c.id.toString(), c.schoolId, "conflict review: " + decision);
        return c;
    }

    private static Submission counted(Submission c) {
        return Submission.<Submission>find("campaignId = ?1 and studentId = ?2 and instrumentId = ?3 and status = ?4",
                c.campaignId, c.studentId, c.instrumentId, SubmissionStatus.COUNTED).firstResult();
    }
}
