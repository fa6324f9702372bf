package cn.xinqiao.reporting.training;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.reporting.report.Period;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** A school's side of teacher training: its staff list, the trainings its teachers attend, ticking who attended. */
@Path("/api/schools/{schoolId}")
@Produces(MediaType.APPLICATION_JSON)
public class TrainingResource {

    @Inject
    Training training;

    public record Attendance(List<String> staffIds) {
    }

    @PUT
    @Path("/staff")
    @Consumes({"text/csv", "text/plain"})
    @RolesAllowed({Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR})
    @Operation(summary = "Replace the school's staff list (CSV: 工号, 姓名, 岗位 = 班主任 / 心理教师 / 其他); unlisted people become inactive")
    public Training.ImportResult importStaff(@PathParam("schoolId") String schoolId, byte[] body) {
        return training.importStaff(schoolId, body == null ? new byte[0] : body);
    }

    @GET
    @Path("/staff")
    @RolesAllowed({Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR})
    @Operation(summary = "The school's staff with the trainings each attended in the year, the untrained first (audited)")
    public List<Training.StaffView> staff(@PathParam("schoolId") String schoolId, @QueryParam("year") String year) {
        return training.staff(schoolId, year(year));
    }

    @GET
    @Path("/trainings")
    @RolesAllowed({Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR})
    @Operation(summary = "Teacher trainings of the year the school's teachers attend (the city's, the county's, its own), with its attendees")
    public List<Training.SessionView> trainings(@PathParam("schoolId") String schoolId, @QueryParam("year") String year) {
        return training.sessions(schoolId, year(year));
    }

    @PUT
    @Path("/trainings/{id}/attendance")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR})
    @Operation(summary = "Tick who of the school attended a teacher training (replaces the school's attendance at it)")
    public Training.SessionView tick(@PathParam("id") String id, @PathParam("schoolId") String schoolId, Attendance body) {
        if (body == null || body.staffIds() == null || body.staffIds().size() > 5_000
                || body.staffIds().stream().anyMatch(s -> s == null || !s.matches("[A-Za-z0-9-]{1,32}"))) {
            throw Problem.badRequest("bad-attendance", "send {\"staffIds\": [...]}: staff numbers of 1–32 letters, digits or hyphens");
        }
        return training.tick(uuid(id), schoolId, body.staffIds());
    }

    public static int year(String year) {
        int now = LocalDate.now(Period.CHINA).getYear();
        if (year == null || year.isBlank()) {
            return now;
        }
        if (!year.matches("20[0-9]{2}") || Integer.parseInt(year) > now) {
            throw Problem.badRequest("bad-year", "year is a calendar year that has begun, like " + now);
        }
        return Integer.parseInt(year);
    }

    public static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw Problem.notFound("no such teacher training");
        }
    }
}
