package cn.xinqiao.screening.carerecord;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/schools/{schoolId}/students/{studentNumber}/care-record")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
public class CareRecordResource {

    @Inject
    CareRecords records;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "A student's care record (心理档案): screening results, risk cases, notes and referral statuses across "
            + "campaigns, newest first, and each instrument's scores over time; the student's own school only; audited")
    public CareRecord get(@PathParam("schoolId") @Pattern(regexp = "S[0-9]{9}") String schoolId,
                          @PathParam("studentNumber") @Pattern(regexp = "[A-Za-z0-9-]{1,32}") String studentNumber) {
        if (!caller.actsForSchool(schoolId)) {
            throw Problem.notFound("student");
        }
        return records.of(schoolId, studentNumber);
    }
}
