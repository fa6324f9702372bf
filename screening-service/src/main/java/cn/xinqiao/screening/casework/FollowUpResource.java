package cn.xinqiao.screening.casework;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** The school's follow-ups (回访) after a hospital returned a student, and what each found. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
public class FollowUpResource {

    public record OutcomeInput(@NotNull @Pattern(regexp = "SEEN|IMPROVED|UNCHANGED|WORSE|RE_REFER|MOVED_SCHOOL|UNREACHABLE") String outcome,
                               @Size(max = 2000) String note) {
    }

    @Inject
    FollowUps followUps;

    @Inject
    Caller caller;

    @GET
    @Path("/schools/{schoolId}/follow-ups")
    @Operation(summary = "The school's follow-ups: overdue, due within a week (overdue too, the default) or all; identifiable: audited")
    public List<FollowUps.View> list(@PathParam("schoolId") @Pattern(regexp = "S[0-9]{9}") String schoolId,
                                     @QueryParam("due") @DefaultValue("week") @Pattern(regexp = "overdue|week|all") String due) {
        if (!caller.actsForSchool(schoolId)) {
            throw Problem.notFound("school");
        }
        return followUps.of(schoolId, due, OffsetDateTime.now(ZoneOffset.UTC));
    }

    @POST
    @Path("/follow-ups/{followUpId}/outcome")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Record what a follow-up found: seen, improved, unchanged, worse, re-refer, moved school, could not reach; "
            + "worse and re-refer send the student to the partner hospital again through the green channel")
    public FollowUps.View outcome(@PathParam("followUpId") UUID id, @Valid @NotNull OutcomeInput in) {
        FollowUp f = FollowUp.findById(id);
        if (f == null || !caller.actsForSchool(f.schoolId)) {
            throw Problem.notFound("follow-up");
        }
        return followUps.outcome(f, in.outcome(), in.note(), caller.subject(), OffsetDateTime.now(ZoneOffset.UTC));
    }
}
