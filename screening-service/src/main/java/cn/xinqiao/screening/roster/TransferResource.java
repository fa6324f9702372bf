package cn.xinqiao.screening.roster;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Districts;
import cn.xinqiao.platform.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The bureau moves a student to another school of its area (a transfer the rosters do not show, e.g. no national
 * student number on file). It names the student by school and number and learns nothing more about them.
 */
@Path("/api/students/transfers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TransferResource {

    public record TransferInput(@NotNull @Pattern(regexp = "S[0-9]{9}") String fromSchoolId,
                                @NotNull @Pattern(regexp = "[A-Za-z0-9-]{1,32}") String studentNumber,
                                @NotNull @Pattern(regexp = "S[0-9]{9}") String toSchoolId,
                                @NotNull @Pattern(regexp = "[A-Za-z0-9-]{1,32}") String newStudentNumber) {
    }

    public record Moved(String toSchoolId, String studentNumber) {
    }

    @Inject
    Caller caller;

    @Inject
    Transfers transfers;

    @POST
    @RolesAllowed(Role.BUREAU_ANALYST)
    @Transactional
    @Operation(summary = "Move a student, with their care record, to another school of the caller's area; audited at both schools")
    public RestResponse<Moved> transfer(@Valid @NotNull TransferInput in) {
        caller.requireDistrict(Districts.countyOfSchool(in.fromSchoolId()));
        caller.requireDistrict(Districts.countyOfSchool(in.toSchoolId()));
        Student s = Student.bySchoolNumber(in.fromSchoolId(), in.studentNumber())
                .orElseThrow(() -> Problem.notFound("student"));
        Student moved = transfers.move(s, in.toSchoolId(), in.newStudentNumber(), Transfers.Via.BUREAU, caller.subject(),
                String.join(",", caller.roles()), Transfers.now());
        return RestResponse.status(RestResponse.Status.CREATED, new Moved(moved.schoolId, moved.studentNumber));
    }
}
