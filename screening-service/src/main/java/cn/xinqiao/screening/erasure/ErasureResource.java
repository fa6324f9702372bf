package cn.xinqiao.screening.erasure;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.screening.school.School;
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
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;
import java.util.UUID;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class ErasureResource {

    @Inject
    ErasureService erasures;

    @Inject
    Caller caller;

    public record NewRequest(@NotBlank @Size(max = 32) String studentNumber, @NotBlank @Size(max = 500) String reason) {
    }

    public record Decision(@NotNull @Pattern(regexp = "APPROVE|REJECT") String decision, @Size(max = 500) String note) {
    }

    @POST
    @Path("/schools/{schoolId}/erasure-requests")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.SCHOOL_ADMIN)
    @Operation(summary = "Ask for one student's data to be erased everywhere (school admin, with the reason); the county bureau decides")
    public Response request(@PathParam("schoolId") String schoolId, @Valid @NotNull NewRequest in) {
        School school = School.findById(schoolId);
        if (school == null || !caller.actsForSchool(school.id)) {
            throw Problem.notFound("school");
        }
        return Response.status(201).entity(erasures.request(school, in.studentNumber().trim(), in.reason().trim())).build();
    }

    @GET
    @Path("/erasure-requests")
    @RolesAllowed({Role.SCHOOL_ADMIN, Role.BUREAU_ANALYST, Role.AUDITOR})
    @Operation(summary = "Erasure requests the caller may see (the bureau and the auditor never see who the student is)")
    public List<ErasureService.RequestView> list(@QueryParam("status") @Pattern(regexp = "REQUESTED|REJECTED|DONE") String status) {
        return erasures.visible(status);
    }

    @POST
    @Path("/erasure-requests/{id}/decision")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.BUREAU_ANALYST)
    @Operation(summary = "Approve (the student is erased in every service) or reject an erasure request of a school in the caller's area")
    public ErasureService.RequestView decide(@PathParam("id") UUID id, @Valid @NotNull Decision in) {
        return erasures.decide(id, "APPROVE".equals(in.decision()), in.note());
    }
}
