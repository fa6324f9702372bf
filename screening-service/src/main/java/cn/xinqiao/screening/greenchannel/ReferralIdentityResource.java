package cn.xinqiao.screening.greenchannel;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.screening.roster.Student;
import cn.xinqiao.screening.school.School;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
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

import java.time.LocalDate;
import java.util.UUID;

/**
 * The one place a student's identity leaves this service: referral-service (its service account, role
 * {@code referral-dispatcher}) resolves a pseudonymous key to what the partner hospital needs, and only for a student
 * with an open referral request from that school: a risk case of the school that raised one, or a referral
 * referral-service reports open ({@code referral_open}, from referral.status.v1). Every release is audited with the
 * service account and the person whose action caused it. Two narrower questions answer without identity: is the key a
 * student of the school (a counsellor's manual referral), and do a number, name and birth date match (a hospital's
 * discharge back to school).
 */
@Path("/api/referral-identities/{studentKey}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.REFERRAL_DISPATCHER)
public class ReferralIdentityResource {

    static final String KEY = "[A-Za-z0-9_-]{43}";
    static final String SCHOOL = "S[0-9]{9}";

    public record Identity(String studentKey, String schoolId, String schoolName, String studentNumber, String name,
                           String sex, String birthDate, int grade, String className, String guardianName,
                           String guardianPhone) {
    }

    /** Enough to raise and route a request, nothing that names the student. */
    public record Enrolment(String studentKey, String schoolId, int grade, String sex) {
    }

    public record MatchQuery(@NotNull @Pattern(regexp = SCHOOL) String schoolId, @NotBlank @Size(max = 50) String name,
                             @NotNull LocalDate birthDate) {
    }

    @Inject
    AuditTrail audit;

    @Inject
    EntityManager em;

    @GET
    @Transactional
    @Operation(summary = "Identity of a student with an open referral request from this school, for the hospital message "
            + "(service accounts only; audited with the person whose action caused it)")
    public Identity identity(@PathParam("studentKey") @Pattern(regexp = KEY) String studentKey,
                             @QueryParam("schoolId") @NotNull @Pattern(regexp = SCHOOL) String schoolId,
                             @QueryParam("referralId") UUID referralId,
                             @QueryParam("onBehalfOf") @Pattern(regexp = "[A-Za-z0-9._@:-]{1,100}") String onBehalfOf) {
        Student s = student(studentKey, schoolId);
        if (!openRequest(s)) {
            throw Problem.conflict("no-open-referral",
                    "identity is released only for a student with an open referral request from this school");
        }
        School school = School.findById(s.schoolId);
        audit.record(AuditTrail.Action.READ, "student-identity", s.id.toString(), s.schoolId, "green-channel referral"
                + (referralId == null ? "" : " " + referralId) + "; on behalf of " + (onBehalfOf == null ? "unknown" : onBehalfOf));
        return new Identity(s.studentKey, s.schoolId, school == null ? null : school.name, s.studentNumber, s.name, s.sex,
                s.birthDate == null ? null : s.birthDate.toString(), s.grade, s.className, s.guardianName, s.guardianPhone);
    }

    @GET
    @Path("/enrolment")
    @Transactional
    @Operation(summary = "Whether the key is a student of the school, with grade and sex only (a counsellor's manual referral; audited)")
    public Enrolment enrolment(@PathParam("studentKey") @Pattern(regexp = KEY) String studentKey,
                               @QueryParam("schoolId") @NotNull @Pattern(regexp = SCHOOL) String schoolId,
                               @QueryParam("onBehalfOf") @Pattern(regexp = "[A-Za-z0-9._@:-]{1,100}") String onBehalfOf) {
        Student s = student(studentKey, schoolId);
        audit.record(AuditTrail.Action.READ, "student-enrolment", s.id.toString(), s.schoolId,
                "manual referral check; on behalf of " + (onBehalfOf == null ? "unknown" : onBehalfOf));
        return new Enrolment(s.studentKey, s.schoolId, s.grade, s.sex);
    }

    @POST
    @Path("/match")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Whether number (in the key), name and birth date belong to one student of the school: a hospital's "
            + "discharge; answers grade, sex and class only, never what the caller did not already know (audited)")
    public Enrolment match(@PathParam("studentKey") @Pattern(regexp = KEY) String studentKey, @Valid @NotNull MatchQuery query,
                           @QueryParam("onBehalfOf") @Pattern(regexp = "[A-Za-z0-9._@:-]{1,100}") String onBehalfOf) {
        Student s = Student.<Student>find("schoolId = ?1 and studentKey = ?2", query.schoolId(), studentKey).firstResult();
        if (s == null || !query.name().strip().equals(s.name) || !query.birthDate().equals(s.birthDate)) {
            throw Problem.notFound("student");
        }
        audit.record(AuditTrail.Action.READ, "student-enrolment", s.id.toString(), s.schoolId,
                "hospital discharge match; on behalf of " + (onBehalfOf == null ? "unknown" : onBehalfOf));
        return new Enrolment(s.studentKey, s.schoolId, s.grade, s.sex);
    }

    private static Student student(String studentKey, String schoolId) {
        Student s = Student.<Student>find("schoolId = ?1 and studentKey = ?2", schoolId, studentKey).firstResult();
        if (s == null) {
            throw Problem.notFound("student");
        }
        return s;
    }

    /** A risk case of the school that raised a request and is not closed, or a referral referral-service reports open. */
    private boolean openRequest(Student s) {
        Number found = (Number) em.createNativeQuery("""
                        select (exists (select 1 from risk_case rc where rc.student_id = ?1 and rc.school_id = ?2
                                        and rc.referral_request_id is not null and rc.status <> 'CLOSED')
                             or exists (select 1 from referral_open o where o.student_key = ?3 and o.school_id = ?2 and o.open))::int""")
                .setParameter(1, s.id).setParameter(2, s.schoolId).setParameter(3, s.studentKey).getSingleResult();
        return found.intValue() == 1;
    }
}
