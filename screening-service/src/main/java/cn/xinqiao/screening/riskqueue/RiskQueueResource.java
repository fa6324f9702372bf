package cn.xinqiao.screening.riskqueue;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.screening.riskqueue.RiskCase;
import cn.xinqiao.screening.riskqueue.RiskQueueService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;
import java.util.UUID;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
public class RiskQueueResource {

    @Inject
    RiskQueueService queue;

    @Inject
    Caller caller;

    @Inject
    AuditTrail audit;

    public record NoteInput(@NotNull @Pattern(regexp = "FOLLOW_UP|GUARDIAN_INFORMED|GUARDIAN_EXCEPTION|CLOSE") String kind,
                            @NotBlank @Size(max = 2000) String note) {
    }

    public record ManualReferral(@NotBlank @Size(max = 500) String reason,
                                 @Pattern(regexp = "MODERATE|HIGH|CRITICAL") String riskLevel) {
    }

    @GET
    @Path("/schools/{schoolId}/risk-queue")
    @Operation(summary = "The school's risk queue, one row per student: their highest open case, critical first, newest first within a level, with how many other campaigns they had a case in (identifiable: audited)")
    public List<RiskQueueService.CaseView> list(@PathParam("schoolId") String school, @QueryParam("status") String status) {
        if (!caller.actsForSchool(school)) {
            throw Problem.notFound("school");
        }
        if (status != null && !List.of("OPEN", "FOLLOWING_UP", "REFERRED", "CLOSED").contains(status)) {
            throw Problem.badRequest("bad-status", "status must be OPEN, FOLLOWING_UP, REFERRED or CLOSED");
        }
        List<RiskQueueService.CaseView> cases = queue.list(school, status);
        audit.record(AuditTrail.Action.READ, "risk-queue", school, school, "risk queue" + (status == null ? "" : " " + status));
        return cases;
    }

    @POST
    @Path("/risk-queue/{caseId}/notes")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record a follow-up, the guardian notification (or a documented exception), or close the case")
    @jakarta.transaction.Transactional // the case is read and changed in one transaction: a case read outside it would not be saved
    public RiskQueueService.CaseView note(@PathParam("caseId") UUID caseId, @Valid @NotNull NoteInput in) {
        return queue.note(scoped(caseId), in.kind(), in.note(), caller.subject());
    }

    @POST
    @Path("/risk-queue/{caseId}/referral")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Refer the student to the green channel by hand (e.g. a MODERATE case the counsellor judges urgent)")
    @jakarta.transaction.Transactional
    public RiskQueueService.CaseView refer(@PathParam("caseId") UUID caseId, @Valid @NotNull ManualReferral in) {
        return queue.referManually(scoped(caseId), in.riskLevel() == null ? "HIGH" : in.riskLevel(), in.reason(), caller.subject());
    }

    private RiskCase scoped(UUID caseId) {
        RiskCase rc = RiskCase.findById(caseId);
        if (rc == null || !caller.actsForSchool(rc.schoolId)) {
            throw Problem.notFound("risk case");
        }
        return rc;
    }
}
