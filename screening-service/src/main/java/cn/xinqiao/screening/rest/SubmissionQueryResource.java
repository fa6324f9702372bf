package cn.xinqiao.screening.rest;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.screening.service.Student;
import cn.xinqiao.screening.service.Submission;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A scored submission for the student's school staff (the student never sees this). */
@Path("/api/submissions/{id}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN, Role.PLATFORM_ADMIN})
public class SubmissionQueryResource {

    @Inject
    Caller caller;

    @Inject
    AuditTrail audit;

    public record SubmissionView(UUID id, UUID campaignId, String studentNumber, String studentName, int grade,
                                 String className, String instrumentId, String instrumentVersion, String mode,
                                 List<Integer> answers, int totalScore, String band, boolean criticalItem, String riskLevel,
                                 String rule, String policyVersion, String status, OffsetDateTime submittedAt) {
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
}
