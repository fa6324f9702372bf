package cn.xinqiao.screening.school;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.screening.roster.ImportStatus;
import cn.xinqiao.screening.roster.RosterImport;
import cn.xinqiao.screening.roster.RosterImportService;
import cn.xinqiao.screening.roster.Student;
import cn.xinqiao.screening.school.DirectoryService;
import cn.xinqiao.screening.school.School;
import io.quarkus.panache.common.Sort;
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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class SchoolResource {

    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    @Inject
    Caller caller;

    @Inject
    DirectoryService directory;

    @Inject
    RosterImportService imports;

    @Inject
    AuditTrail audit;

    public record SchoolInput(@NotBlank @Size(max = 100) String name,
                              @NotNull @Pattern(regexp = "[1-8][0-9]{5}") String districtCode,
                              @NotNull @Pattern(regexp = "PRIMARY|JUNIOR|SENIOR|COMPLETE") String stage,
                              LocalDate closedOn) {
    }

    /** {@code closedOn}: the day the directory closed the school; null while it is open. */
    public record SchoolView(String id, String name, String districtCode, String cityCode, String stage, LocalDate closedOn) {
        static SchoolView of(School s) {
            return new SchoolView(s.id, s.name, s.districtCode, s.cityCode, s.stage, s.closedOn);
        }
    }

    public record ImportView(UUID id, String schoolId, ImportStatus status, int totalRows, int processedRows,
                             int createdRows, int updatedRows, int errorRows, List<RosterImport.RowError> errors) {
    }

    public record StudentView(UUID id, String studentNumber, String name, String sex, LocalDate birthDate, int grade,
                              String className, String guardianName, String guardianPhone) {
    }

    @GET
    @Path("/schools")
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN, Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN,
            Role.HOTLINE_OPERATOR, Role.HOTLINE_SUPERVISOR})
    @Operation(summary = "Schools the caller may see: own school, or every school in the caller's area")
    public List<SchoolView> schools() {
        return directory.visibleTo(s -> caller.actsForSchool(s.id) || caller.coversDistrict(s.districtCode)
                || caller.hasAnyRole(Role.HOTLINE_OPERATOR, Role.HOTLINE_SUPERVISOR))
                .stream().map(SchoolView::of).toList();
    }

    @PUT
    @Path("/schools/{schoolId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.PLATFORM_ADMIN, Role.BUREAU_ANALYST})
    @Operation(summary = "Create, rename, close (closedOn) or reopen a school (platform admin, or the bureau of its area)")
    public SchoolView upsert(@PathParam("schoolId") @Pattern(regexp = "S[0-9]{9}", message = "must be S + 9 digits") String schoolId,
                             @Valid @NotNull SchoolInput input) {
        caller.requireDistrict(input.districtCode());
        if (input.closedOn() != null && input.closedOn().isAfter(LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")))) {
            throw Problem.invalid("the school cannot be closed", List.of(new cn.xinqiao.platform.problem.ProblemDetails.FieldError("closedOn",
                    "is the day it closed: today or earlier (China time)")));
        }
        return SchoolView.of(directory.upsert(schoolId, input.name(), input.districtCode(), input.stage(), input.closedOn()));
    }

    @POST
    @Path("/schools/{schoolId}/roster-imports")
    @Consumes({"text/csv", XLSX, MediaType.APPLICATION_OCTET_STREAM})
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN, Role.ROSTER_SYNC})
    @Operation(summary = "Upload a roster (CSV UTF-8/GB18030 or XLSX); 202 with a progress resource")
    public Response importRoster(@PathParam("schoolId") String schoolId, @QueryParam("format") String format,
                                 @jakarta.ws.rs.core.Context HttpHeaders headers, @jakarta.ws.rs.core.Context UriInfo uri,
                                 byte[] content) {
        School school = School.findById(schoolId);
        if (school == null || !caller.syncsRosterOf(school.id)) {
            throw Problem.notFound("school");
        }
        if (school.closedOn != null) {
            throw Problem.conflict("school-closed", "the school was closed on " + school.closedOn + ": its roster no longer changes");
        }
        if (content == null || content.length == 0) {
            throw Problem.badRequest("empty-file", "the roster file is empty");
        }
        String media = headers.getMediaType() == null ? "" : headers.getMediaType().toString();
        String fileFormat = format != null ? format.toLowerCase() : media.startsWith(XLSX) ? "xlsx" : "csv";
        if (!fileFormat.equals("csv") && !fileFormat.equals("xlsx")) {
            throw Problem.badRequest("unsupported-format", "format must be csv or xlsx");
        }
        RosterImport job = imports.accept(school.id, fileFormat, content, caller.subject());
        return Response.accepted(view(job)).location(URI.create("/api/roster-imports/" + job.id)).build();
    }

    @GET
    @Path("/roster-imports/{importId}")
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN, Role.ROSTER_SYNC})
    @Operation(summary = "Progress and row errors (line numbers) of a roster import")
    public ImportView importProgress(@PathParam("importId") UUID importId) {
        RosterImport job = RosterImport.findById(importId);
        if (job == null || !caller.syncsRosterOf(job.schoolId)) {
            throw Problem.notFound("roster import");
        }
        return view(job);
    }

    @GET
    @Path("/schools/{schoolId}/students")
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
    @Operation(summary = "The roster of one school (identifiable: every read is audited)")
    public List<StudentView> students(@PathParam("schoolId") String schoolId, @QueryParam("grade") Integer grade,
                                      @QueryParam("className") String className) {
        School school = schoolInScope(schoolId);
        StringBuilder query = new StringBuilder("schoolId = :school");
        io.quarkus.panache.common.Parameters params = io.quarkus.panache.common.Parameters.with("school", school.id);
        if (grade != null) {
            query.append(" and grade = :grade");
            params.and("grade", grade);
        }
        if (className != null) {
            query.append(" and className = :className");
            params.and("className", className);
        }
        List<Student> students = Student.list(query.toString(), Sort.by("grade").and("className").and("studentNumber"), params);
        audit.record(AuditTrail.Action.READ, "roster", school.id, school.id,
                "roster view" + (grade == null ? "" : " grade " + grade) + (className == null ? "" : " class " + className));
        return students.stream().map(s -> new StudentView(s.id, s.studentNumber, s.name, s.sex, s.birthDate, s.grade,
                s.className, s.guardianName, s.guardianPhone)).toList();
    }

    private School schoolInScope(String schoolId) {
        School school = School.findById(schoolId);
        // Out of scope looks the same as missing: ids of other schools are not confirmed.
        if (school == null || !caller.actsForSchool(school.id)) {
            throw Problem.notFound("school");
        }
        return school;
    }

    private static ImportView view(RosterImport job) {
        return new ImportView(job.id, job.schoolId, job.status, job.totalRows, job.processedRows, job.createdRows,
                job.updatedRows, job.errorRows, job.errors);
    }
}
