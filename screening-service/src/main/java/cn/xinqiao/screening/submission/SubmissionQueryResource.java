package cn.xinqiao.screening.submission;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.screening.conflict.ConflictReview;
import cn.xinqiao.screening.roster.Student;
import cn.xinqiao.screening.submission.Submission;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A scored submission for the student's school staff (the student never sees this), and the review of a conflict. */
@Path("/api/submissions/{id}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
public class SubmissionQueryResource {

    @Inject
    Caller caller;

    @Inject
    AuditTrail audit;

    public record SubmissionView(UUID id, UUID campaignId, String studentNumber, String studentName, int grade,
                                 String className, String instrumentId, String instrumentVersion, Mode mode,
                                 List<Integer> answers, int totalScore, String band, boolean criticalItem, String riskLevel,
                                 String rule, String policyVersion, SubmissionStatus status, OffsetDateTime submittedAt) {
    }

    @GET
    @Operation(summary = "Answers, score, band, risk level, the rule that fired and the policy version (audited)")
    public SubmissionView get(@PathParam("id") UUID id) {
        Submission s = Submission.findById(id);
        if (s == null || !caller.actsForSchool(s.schoolId)) {
            throw Problem.notFound("submission");
        }
        Student student = Student.findById(s.studentId);
        audit.record(AuditTrail.Action.READ, "submission", s.id.toString(), s.schoolId, "result review");
        return new SubmissionView(s.id, s.campaignId, student.studentNumber, student.name, student.grade, student.className,
                s.instrumentId, s.instrumentVersion, s.mode, List.of(s.answers), s.totalScore, s.band, s.criticalItem,
                s.riskLevel, s.rule, s.policyVersion, s.status, s.submittedAt);
    }

    @Inject
    ConflictReview conflicts;

    public record Resolution(String decision, String note) {
    }

    public record Resolved(UUID submissionId, SubmissionStatus status, String resolution, String resolvedBy, OffsetDateTime resolvedAt) {
    }

    @POST
    @Path("/resolution")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Resolve a conflict: KEEP the counted answers or REPLACE them with this submission (note required)")
    public Resolved resolve(@PathParam("id") UUID id, Resolution body) {
        if (body == null) {
            throw Problem.badRequest("missing-body", "send {decision, note}");
        }
        Submission s = Submission.findById(id);
        if (s == null || !caller.actsForSchool(s.schoolId)) {
            throw Problem.notFound("conflict");
        }
        Submission done = conflicts.resolve(id, s.schoolId, body.decision(), body.note(), caller.subject());
        return new Resolved(done.id, done.status, done.resolution, done.resolvedBy, done.resolvedAt);
    }
}
