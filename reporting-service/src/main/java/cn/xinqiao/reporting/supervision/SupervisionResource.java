package cn.xinqiao.reporting.supervision;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.reporting.report.Period;
import cn.xinqiao.reporting.training.TrainingResource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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

import java.net.URI;
import java.time.LocalDate;
import java.util.List;

/** Inspections of schools by the bureau's supervision group, and their rectification items. */
@Path("/api/inspections")
@Produces(MediaType.APPLICATION_JSON)
public class SupervisionResource {

    @Inject
    Supervision supervision;

    public record Answer(String text) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.BUREAU_ANALYST)
    @Operation(summary = "Record an inspection of a school: the day, the inspectors, a summary, findings (coded, with a deadline each)")
    public Response record(Supervision.NewInspection body) {
        if (body == null) {
            throw Problem.badRequest("missing-body", "send the inspection as JSON");
        }
        Supervision.InspectionView saved = supervision.record(body, LocalDate.now(Period.CHINA));
        return Response.created(URI.create("/api/inspections/" + saved.id())).entity(saved).build();
    }

    @GET
    @RolesAllowed({Role.BUREAU_ANALYST, Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR})
    @Operation(summary = "Inspections of a school (its staff, or the bureau) or under a district (the bureau), newest first, with their items")
    public List<Supervision.InspectionView> list(@QueryParam("schoolId") String schoolId, @QueryParam("districtCode") String districtCode) {
        return supervision.list(schoolId, districtCode, LocalDate.now(Period.CHINA));
    }

    @POST
    @Path("/items/{id}/answer")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR})
    @Operation(summary = "The school answers an open rectification item with what it did")
    public Supervision.Item answer(@PathParam("id") String id, Answer body) {
        return supervision.answer(TrainingResource.uuid(id), body == null ? null : body.text(), LocalDate.now(Period.CHINA));
    }

    @POST
    @Path("/items/{id}/decision")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.BUREAU_ANALYST)
    @Operation(summary = "The bureau closes an answered item, or reopens it with what is still to be done and a new deadline")
    public Supervision.Item decide(@PathParam("id") String id, Supervision.Decision body) {
        return supervision.decide(TrainingResource.uuid(id), body, LocalDate.now(Period.CHINA));
    }
}
