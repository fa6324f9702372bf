package cn.xinqiao.reporting.activity;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.reporting.training.Training;
import cn.xinqiao.reporting.training.TrainingResource;
import cn.xinqiao.reporting.report.Period;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import java.util.UUID;

/** Mandated activities: lectures, group counselling sessions, teacher trainings. */
@Path("/api/activities")
@Produces(MediaType.APPLICATION_JSON)
public class ActivityResource {

    @Inject
    Activities activities;

    @Inject
    Training training;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN, Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN})
    @Operation(summary = "Record an activity that has taken place (school staff: their school; bureau: teacher trainings of their area)")
    public Response record(Activities.NewActivity body) {
        if (body == null) {
            throw Problem.badRequest("missing-body", "send the activity as JSON");
        }
        Activities.ActivityView saved = activities.record(body, LocalDate.now(Period.CHINA));
        return Response.created(URI.create("/api/activities/" + saved.id())).entity(saved).build();
    }

    @GET
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN, Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN})
    @Operation(summary = "Activities of a school, or under a district, held between from and to (default: the current semester)")
    public List<Activities.ActivityView> list(@QueryParam("schoolId") String schoolId, @QueryParam("districtCode") String districtCode,
                                              @QueryParam("from") String from, @QueryParam("to") String to,
                                              @QueryParam("semester") String semester) {
        if (schoolId != null && !schoolId.matches("S[0-9]{9}")) {
            throw Problem.badRequest("bad-school", "schoolId must be S + 9 digits");
        }
        if (districtCode != null && !districtCode.matches("[1-8][0-9]{5}")) {
            throw Problem.badRequest("bad-district", "districtCode must be 6 digits");
        }
        Period period = Period.of(from, to, semester);
        return activities.list(schoolId, districtCode, period.from(), period.to());
    }

    @POST
    @Path("/{id}/attendance")
    @Consumes({"text/csv", "text/plain"})
    @RolesAllowed({Role.BUREAU_ANALYST, Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR})
    @Operation(summary = "Add an attendance list (CSV: 学校代码, 工号) to a teacher training: the organising bureau, or a school for its own")
    public java.util.Map<String, Integer> attendance(@PathParam("id") String id, byte[] body) {
        return java.util.Map.of("added", training.attendanceList(TrainingResource.uuid(id), body == null ? new byte[0] : body));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN, Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN})
    @Operation(summary = "Remove an activity recorded by mistake (the school that recorded it, or the bureau for its trainings)")
    public Response delete(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw Problem.notFound("no such activity");
        }
        activities.delete(uuid);
        return Response.noContent().build();
    }

}
