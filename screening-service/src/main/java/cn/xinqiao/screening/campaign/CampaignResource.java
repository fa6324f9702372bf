package cn.xinqiao.screening.campaign;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.screening.campaign.AccessCodeSlips;
import cn.xinqiao.screening.campaign.Campaign;
import cn.xinqiao.screening.campaign.CampaignService;
import cn.xinqiao.screening.domain.AccessCodeVault;
import cn.xinqiao.screening.domain.AccessCodes;
import cn.xinqiao.screening.roster.Student;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
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

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

@Path("/api/campaigns")
@Produces(MediaType.APPLICATION_JSON)
public class CampaignResource {

    @Inject
    CampaignService campaigns;

    @Inject
    Caller caller;

    @Inject
    AuditTrail audit;

    @Inject
    AccessCodeVault vault;

    @Inject
    EntityManager em;

    public record CampaignInput(@NotBlank @Size(max = 100) String name,
                                @NotEmpty @Size(max = 4) List<@NotBlank String> instruments,
                                @NotEmpty @Size(max = 5000) List<@NotBlank String> schoolIds,   // a city: Jining has ~1,800 schools
                                @NotEmpty @Size(max = 12) List<@NotNull @Min(1) @Max(12) Integer> grades,
                                @NotNull OffsetDateTime opensAt,
                                @NotNull OffsetDateTime closesAt) {
    }

    public record CampaignView(UUID id, String name, List<String> instruments, java.util.Map<String, String> instrumentVersions,
                               List<Integer> grades, List<String> schoolIds, OffsetDateTime opensAt, OffsetDateTime closesAt, String createdBy) {
    }

    public record Progress(UUID campaignId, long enrolled, long submitted, long completed, long online, long paper,
                           List<CampaignService.ProgressRow> byClass) {
    }

    /**
     * One student's code; {@code locked}: too many wrong birth dates were typed with it (issue a new one);
     * {@code birthDateMissing}: the roster has no birth date, so the student cannot log in online until it does.
     */
    public record CodeSlip(String studentNumber, String name, int grade, String className, String accessCode, boolean locked,
                           boolean birthDateMissing) {
    }

    public record Reissue(String schoolId, @NotBlank @Size(max = 32) String studentNumber) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN, Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN})
    @Operation(summary = "Create a campaign (own school for counsellors, own area for the bureau); issues the access codes")
    public Response create(@Valid @NotNull CampaignInput in) {
        Campaign c = campaigns.create(new CampaignService.NewCampaign(in.name(), in.instruments(), in.schoolIds(), in.grades(),
                in.opensAt(), in.closesAt()));
        return Response.created(URI.create("/api/campaigns/" + c.id)).entity(view(c)).build();
    }

    @GET
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN, Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN})
    @Operation(summary = "Campaigns that include a school the caller may see")
    public List<CampaignView> list() {
        return campaigns.visibleCampaigns().stream().map(this::view).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN, Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN})
    public CampaignView one(@PathParam("id") UUID id) {
        return view(campaigns.visible(id));
    }

    @GET
    @Path("/{id}/progress")
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN, Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN})
    @Operation(summary = "Enrolled, submitted (any instrument), completed (all), online vs paper; by school, grade and class")
    public Progress progress(@PathParam("id") UUID id) {
        Campaign c = campaigns.visible(id);
        List<CampaignService.ProgressRow> rows = campaigns.progress(c, campaigns.scopedSchools(c));
        return new Progress(c.id, rows.stream().mapToLong(CampaignService.ProgressRow::enrolled).sum(),
                rows.stream().mapToLong(CampaignService.ProgressRow::submitted).sum(),
                rows.stream().mapToLong(CampaignService.ProgressRow::completed).sum(),
                rows.stream().mapToLong(CampaignService.ProgressRow::online).sum(),
                rows.stream().mapToLong(CampaignService.ProgressRow::paper).sum(), rows);
    }

    @GET
    @Path("/{id}/access-codes")
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN, Role.ROSTER_SYNC})
    @Transactional
    @Operation(summary = "The access codes of the caller's school for this campaign, by class (identifiable: audited)")
    public List<CodeSlip> codes(@PathParam("id") UUID id, @QueryParam("schoolId") String schoolId,
                                @QueryParam("grade") Integer grade, @QueryParam("className") String className) {
        Campaign c = campaigns.visible(id);
        String school = schoolId != null ? schoolId : caller.schoolId().orElseThrow(() -> Problem.badRequest("school-required", "schoolId is required"));
        if (!caller.syncsRosterOf(school) || !campaigns.schoolsOf(c.id).contains(school)) {
            throw Problem.notFound("campaign school");
        }
        List<Tuple> rows = em.createNativeQuery("""
                        select s.student_number, s.name, s.grade, s.class_name, a.code_sealed, a.locked_at, s.birth_date is null
                        from access_code a join student s on s.id = a.student_id
                        where a.campaign_id = ?1 and s.school_id = ?2 and (cast(?3 as int) is null or s.grade = ?3)
                          and (cast(?4 as varchar) is null or s.class_name = ?4)
                        order by s.grade, s.class_name, s.student_number""", Tuple.class)
                .setParameter(1, c.id).setParameter(2, school).setParameter(3, grade).setParameter(4, className).getResultList();
        audit.record(AuditTrail.Action.READ, "access-codes", c.id.toString(), school, "access code slips");
        return rows.stream().map(t -> new CodeSlip((String) t.get(0), (String) t.get(1), ((Number) t.get(2)).intValue(),
                (String) t.get(3), AccessCodes.display(vault.open((byte[]) t.get(4))), t.get(5) != null, Boolean.TRUE.equals(t.get(6)))).toList();
    }

    @GET
    @Path("/{id}/access-code-slips")
    @Produces({"application/pdf", "application/problem+json"})
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN, Role.ROSTER_SYNC})
    @Transactional
    @Operation(summary = "Printable access-code slips (PDF, A4, ten a page, each class on its own pages; identifiable: audited)")
    public Response slips(@PathParam("id") UUID id, @QueryParam("schoolId") String schoolId,
                          @QueryParam("grade") Integer grade, @QueryParam("className") String className) {
        List<CodeSlip> codes = codes(id, schoolId, grade, className);
        Campaign c = campaigns.visible(id);
        String school = schoolId != null ? schoolId : caller.schoolId().orElseThrow();
        cn.xinqiao.screening.school.School s = cn.xinqiao.screening.school.School.findById(school);
        List<AccessCodeSlips.Slip> slips = codes.stream()
                .map(x -> new AccessCodeSlips.Slip(x.studentNumber(), x.name(), x.grade(), x.className(), x.accessCode())).toList();
        String name = s == null ? school : s.name;
        jakarta.ws.rs.core.StreamingOutput body = out -> AccessCodeSlips.write(name, c.name, c.closesAt, studentEntryUrl, helpLines.hotline(), slips, out);
        return Response.ok(body, "application/pdf")
                .header("Content-Disposition", "attachment; filename=\"access-codes-" + school + (grade == null ? "" : "-" + grade) + ".pdf\"")
                .header("Cache-Control", "no-store").build();
    }

    @Inject
    cn.xinqiao.screening.helpline.HelpLines helpLines;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "xinqiao.student-entry-url", defaultValue = "http://localhost:8080/")
    String studentEntryUrl;

    @POST
    @Path("/{id}/access-codes")
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN, Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN})
    @Transactional
    @Operation(summary = "Issue codes to students enrolled since the campaign was created (idempotent)")
    public Response issueMissing(@PathParam("id") UUID id) {
        int issued = campaigns.issueCodes(campaigns.visible(id));
        return Response.ok(java.util.Map.of("issued", issued)).build();
    }

    @POST
    @Path("/{id}/access-codes/reissue")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
    @Transactional
    @Operation(summary = "A new code for one student (a lost slip, or a code locked by wrong birth dates); the old one stops working (audited)")
    public CodeSlip reissue(@PathParam("id") UUID id, @Valid @NotNull Reissue body) {
        Campaign c = campaigns.visible(id);
        String school = body.schoolId() != null ? body.schoolId() : caller.schoolId().orElseThrow(() -> Problem.badRequest("school-required", "schoolId is required"));
        if (!caller.actsForSchool(school) || !campaigns.schoolsOf(c.id).contains(school)) {
            throw Problem.notFound("campaign school");
        }
        Student student = Student
                .find("schoolId = ?1 and studentNumber = ?2", school, body.studentNumber().strip().toUpperCase(Locale.ROOT))
                .firstResult();
        if (student == null) {
            throw Problem.notFound("student");
        }
        String code = campaigns.reissue(c, student.id);
        audit.record(AuditTrail.Action.UPDATE, "access-code", c.id + ":" + student.id, school, "access code reissued");
        return new CodeSlip(student.studentNumber, student.name, student.grade, student.className, AccessCodes.display(code), false,
                student.birthDate == null);
    }

    private CampaignView view(Campaign c) {
        return new CampaignView(c.id, c.name, List.of(c.instruments), Campaign.pins(c.instruments, c.instrumentVersions), List.of(c.grades),
                campaigns.scopedSchools(c),
                c.opensAt, c.closesAt, c.createdBy);
    }
}
