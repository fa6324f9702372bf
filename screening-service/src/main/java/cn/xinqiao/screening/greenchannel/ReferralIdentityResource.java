package cn.xinqiao.screening.greenchannel;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.screening.roster.Student;
import cn.xinqiao.screening.school.School;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The one place a student's identity leaves this service: referral-service (its service account, role
 * {@code referral-dispatcher}) resolves a pseudonymous key to what the partner hospital needs. Every call is
 * audited with the caller.
 */
@Path("/api/referral-identities/{studentKey}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.REFERRAL_DISPATCHER)
public class ReferralIdentityResource {

    public record Identity(String studentKey, String schoolId, String schoolName, String studentNumber, String name,
                           String sex, String birthDate, int grade, String className, String guardianName,
                           String guardianPhone) {
    }

    @Inject
    AuditTrail audit;

    @GET
    @Transactional
    @Operation(summary = "Identity of a referred student for the green-channel message (service accounts only; audited)")
    public Identity identity(@PathParam("studentKey") @Pattern(regexp = "[A-Za-z0-9_-]{43}") String studentKey,
                             @QueryParam("schoolId") @NotNull @Pattern(regexp = "S[0-9]{9}") String schoolId) {
        Student s = Student.<Student>find("schoolId = ?1 and studentKey = ?2", schoolId, studentKey).firstResult();
        if (s == null) {
            throw Problem.notFound("student");
        }
        School school = School.findById(s.schoolId);
        audit.record(AuditTrail.Action.READ, "student-identity", s.id.toString(), s.schoolId, "green-channel referral");
        return new Identity(s.studentKey, s.schoolId, school == null ? null : school.name, s.studentNumber, s.name, s.sex,
                s.birthDate == null ? null : s.birthDate.toString(), s.grade, s.className, s.guardianName, s.guardianPhone);
    }
}
