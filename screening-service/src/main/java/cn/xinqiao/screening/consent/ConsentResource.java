package cn.xinqiao.screening.consent;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.problem.ProblemDetails;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.screening.domain.ConsentRule.Decision;
import cn.xinqiao.screening.domain.SchoolYear;
import cn.xinqiao.screening.roster.Student;
import cn.xinqiao.screening.school.School;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
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

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The school's side of guardian consent: standings, scanned paper forms, the guardians' links; the bureau's notice text. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class ConsentResource {

    static final List<String> FORM_TYPES = List.of("application/pdf", "image/jpeg", "image/png");

    @Inject
    ConsentService consents;

    @Inject
    ConsentConfig config;

    @Inject
    Caller caller;

    public record NoticeInput(@NotBlank @Size(max = 200) String title, @NotBlank @Size(max = 20000) String body) {
    }

    @GET
    @Path("/consent-notices")
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN, Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN})
    @Operation(summary = "The guardian notice texts, newest first (each decision records the version the guardian saw)")
    public List<ConsentService.Notice> notices() {
        return consents.notices();
    }

    @POST
    @Path("/consent-notices")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.BUREAU_ANALYST)
    @Operation(summary = "Publish a new version of the guardian notice (city bureau); decisions from now on record it")
    public Response publish(@Valid @NotNull NoticeInput in) {
        if (!caller.districtCode().map(d -> d.endsWith("00")).orElse(false)) {
            throw Problem.forbidden("the notice is the city bureau's / 知情同意书由市教育局发布");
        }
        return Response.status(201).entity(consents.publish(in.title(), in.body(), caller.subject())).build();
    }

    @GET
    @Path("/schools/{schoolId}/consents")
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
    @Operation(summary = "Each student's guardian consent for a school year, by class (identifiable: audited)")
    public List<ConsentService.Standing> standings(@PathParam("schoolId") String schoolId, @QueryParam("schoolYear") String schoolYear,
                                                   @QueryParam("grade") Integer grade, @QueryParam("className") String className) {
        return consents.standings(school(schoolId).id, year(schoolYear), grade, className);
    }

    @POST
    @Path("/schools/{schoolId}/students/{studentNumber}/consents")
    @Consumes({"application/pdf", "image/jpeg", "image/png"})
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
    @Operation(summary = "Record a guardian's decision from the signed paper form: the scan is the body (PDF, JPEG or PNG); "
            + "decision GRANTED, DECLINED or WITHDRAWN; decidedOn the date on the form")
    public Response paper(@PathParam("schoolId") String schoolId, @PathParam("studentNumber") String studentNumber,
                          @QueryParam("schoolYear") String schoolYear, @QueryParam("decision") String decision,
                          @QueryParam("decidedOn") String decidedOn, @QueryParam("noticeVersion") Integer noticeVersion,
                          @jakarta.ws.rs.HeaderParam("Content-Type") String contentType, byte[] form) {
        School school = school(schoolId);
        Decision d = decision(decision);
        LocalDate on = decidedOn(decidedOn);
        String type = formType(contentType, form);
        Student student = Student.bySchoolNumber(school.id, studentNumber).orElseThrow(() -> Problem.notFound("student"));
        int version = noticeVersion == null ? consents.currentNotice().version() : noticeVersion;
        return Response.status(201).entity(consents.record(student, year(schoolYear), d, ConsentService.Method.PAPER, version, on,
                caller.subject(), form, type)).build();
    }

    @GET
    @Path("/schools/{schoolId}/students/{studentNumber}/consent-form")
    @Produces({"application/pdf", "image/jpeg", "image/png", "application/problem+json"})
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
    @Operation(summary = "The scanned paper form behind the student's latest decision (identifiable: audited)")
    public Response form(@PathParam("schoolId") String schoolId, @PathParam("studentNumber") String studentNumber,
                         @QueryParam("schoolYear") String schoolYear) {
        School school = school(schoolId);
        Student student = Student.bySchoolNumber(school.id, studentNumber).orElseThrow(() -> Problem.notFound("student"));
        Object[] form = consents.form(student, year(schoolYear));
        return Response.ok(form[0], (String) form[1]).header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("/schools/{schoolId}/guardian-links")
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
    @Operation(summary = "Issue each student's guardian a one-time consent link for the school year (those without one), "
            + "and list them for printing or sending (identifiable: audited)")
    public List<ConsentService.Link> links(@PathParam("schoolId") String schoolId, @QueryParam("schoolYear") String schoolYear,
                                           @QueryParam("grade") Integer grade, @QueryParam("className") String className) {
        return consents.links(school(schoolId).id, year(schoolYear), grade, className);
    }

    private School school(String schoolId) {
        School school = School.findById(schoolId);
        if (school == null || !caller.actsForSchool(school.id)) {
            throw Problem.notFound("school");
        }
        return school;
    }

    static SchoolYear year(String text) {
        if (text == null) {
            return SchoolYear.of(LocalDate.now(SchoolYear.CHINA));
        }
        SchoolYear year = SchoolYear.parse(text);
        if (year == null) {
            throw Problem.invalid("bad school year", List.of(new ProblemDetails.FieldError("schoolYear", "like 2026-2027")));
        }
        return year;
    }

    static Decision decision(String text) {
        try {
            return Decision.valueOf(text);
        } catch (RuntimeException e) {
            throw Problem.invalid("bad decision", List.of(new ProblemDetails.FieldError("decision", "GRANTED, DECLINED or WITHDRAWN")));
        }
    }

    private static LocalDate decidedOn(String text) {
        try {
            LocalDate on = LocalDate.parse(text);
            if (on.isAfter(LocalDate.now(SchoolYear.CHINA)) || on.isBefore(LocalDate.now(SchoolYear.CHINA).minusYears(2))) {
                throw new DateTimeParseException("out of range", text, 0);
            }
            return on;
        } catch (RuntimeException e) {
            throw Problem.invalid("bad date", List.of(new ProblemDetails.FieldError("decidedOn",
                    "the date written on the form, yyyy-mm-dd, not in the future")));
        }
    }

    /** The scan's type, from its first bytes (the Content-Type must agree); a form is never anything else. */
    private String formType(String contentType, byte[] form) {
        if (form == null || form.length < 8) {
            throw Problem.badRequest("form-required", "attach the scanned, signed form (PDF, JPEG or PNG) / 请上传家长签字的同意书扫描件");
        }
        if (form.length > config.maxFormBytes()) {
            throw new Problem(413, "form-too-large", "Form too large", "the scan may be at most " + config.maxFormBytes() / 1048576 + " MB", List.of());
        }
        String sniffed = form[0] == '%' && form[1] == 'P' && form[2] == 'D' && form[3] == 'F' ? "application/pdf"
                : (form[0] & 0xFF) == 0xFF && (form[1] & 0xFF) == 0xD8 && (form[2] & 0xFF) == 0xFF ? "image/jpeg"
                : (form[0] & 0xFF) == 0x89 && form[1] == 'P' && form[2] == 'N' && form[3] == 'G' ? "image/png" : null;
        String declared = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase();
        if (sniffed == null || !sniffed.equals(declared)) {
            throw Problem.badRequest("form-not-a-scan", "the file is not the PDF, JPEG or PNG it says it is / 文件不是有效的 PDF、JPEG 或 PNG");
        }
        return sniffed;
    }
}
