package cn.xinqiao.reporting.rest;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.reporting.service.EnrolmentService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

@Path("/api/reports/enrolment")
@Produces(MediaType.APPLICATION_JSON)
public class EnrolmentResource {

    @Inject
    EnrolmentService enrolment;

    @Inject
    Caller caller;

    public record EnrolmentReport(String level, String code, long total, List<EnrolmentService.EnrolmentRow> rows) {
    }

    @GET
    @RolesAllowed({Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN, Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR})
    @Operation(summary = "Enrolment by grade and sex under a city, county or school (the denominator of coverage)")
    public EnrolmentReport report(@QueryParam("level") String level, @QueryParam("code") String code) {
        if (level == null || !List.of("city", "county", "school").contains(level)) {
            throw Problem.badRequest("bad-level", "level must be city, county or school");
        }
        if (code == null || !(level.equals("school") ? code.matches("S[0-9]{9}") : code.matches("[1-8][0-9]{5}"))) {
            throw Problem.badRequest("bad-code", "code must be a school id (S + 9 digits) or a 6-digit area code");
        }
        boolean allowed = level.equals("school") ? caller.actsForSchool(code) || caller.coversDistrict(code.substring(1, 7))
                : caller.coversDistrict(code);
        if (!allowed) {
            throw Problem.forbidden("this area is outside your jurisdiction");
        }
        List<EnrolmentService.EnrolmentRow> rows = enrolment.byArea(level, code);
        return new EnrolmentReport(level, code, rows.stream().mapToLong(EnrolmentService.EnrolmentRow::students).sum(), rows);
    }
}
