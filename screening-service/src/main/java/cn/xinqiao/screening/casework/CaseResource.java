package cn.xinqiao.screening.casework;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.screening.domain.Instrument;
import cn.xinqiao.screening.domain.Procedure;
import cn.xinqiao.screening.domain.RiskLevel;
import cn.xinqiao.screening.riskqueue.CaseSource;
import cn.xinqiao.screening.riskqueue.RiskCase;
import cn.xinqiao.screening.riskqueue.RiskQueueService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** Cases from daily work and the standard procedure of every case (标准化处置流程). */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
public class CaseResource {

    public record OpenCase(@NotBlank @Pattern(regexp = "[A-Za-z0-9-]{1,32}") String studentNumber,
                           @NotNull @Pattern(regexp = "DAILY_WORK|TEACHER_REPORT|PARENT_REPORT|PEER_REPORT|HOTLINE|SCREENING") String source,
                           @NotNull @Pattern(regexp = "MODERATE|HIGH|CRITICAL") String riskLevel,
                           @NotBlank @Size(max = 2000) String note,
                           @Size(min = 4, max = 5) int[] asqAnswers) {
    }

    public record StepInput(@NotBlank @Pattern(regexp = "[A-Z_]{1,40}") String code,
                            @NotNull @Pattern(regexp = "DONE|EXCEPTION") String outcome,
                            OffsetDateTime at,
                            @Pattern(regexp = "PHONE|IN_PERSON|WECHAT|LETTER|OTHER") String how,
                            @Pattern(regexp = "GUARDIAN_UNREACHABLE|GUARDIAN_REFUSES|STUDENT_ABSENT|OTHER") String exceptionCode,
                            @Size(max = 2000) String note) {
    }

    /** One step as the counsellor's checklist shows it, with its clock. */
    public record StepView(String code, Instrument.Text title, OffsetDateTime dueAt, boolean critical, boolean overdue, String outcome,
                           String exceptionCode, String how, String note, OffsetDateTime doneAt, String doneBy,
                           Procedure.Escalation escalation, OffsetDateTime schoolAdminAlertedAt, OffsetDateTime bureauAlertedAt) {
    }

    public record SessionInput(@NotNull java.time.LocalDate heldOn, @jakarta.validation.constraints.Min(5) @jakarta.validation.constraints.Max(600) int minutes,
                               @NotNull @Pattern(regexp = "INDIVIDUAL|GROUP|FAMILY") String kind,
                               @NotNull @Pattern(regexp = "NONE|LOW|MODERATE|HIGH|CRITICAL") String riskLevel,
                               boolean safetyConcern,
                               @NotNull @Pattern(regexp = "IMPROVED|UNCHANGED|WORSE") String progress,
                               @Size(max = 4000) String privateNotes) {
    }

    public record CaseDetail(RiskQueueService.CaseView riskCase, CaseSource source, String procedureVersion, List<StepView> steps) {
    }

    @Inject
    Cases cases;

    @Inject
    CaseSteps steps;

    @Inject
    ProcedureCatalog procedures;

    @Inject
    RiskQueueService queue;

    @Inject
    Sessions sessions;

    @Inject
    Caller caller;

    @Inject
    AuditTrail audit;

    @POST
    @Path("/schools/{schoolId}/cases")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Open a case from daily work (or update the student's open one): the procedure of its level starts; "
            + "HIGH and CRITICAL go to the partner hospital through the green channel. 201 when opened, 200 when updated")
    public RestResponse<CaseDetail> open(@PathParam("schoolId") @Pattern(regexp = "S[0-9]{9}") String schoolId,
                                         @Valid @NotNull OpenCase in) {
        if (!caller.actsForSchool(schoolId)) {
            throw Problem.notFound("school");
        }
        OffsetDateTime now = now();
        Cases.Opened opened = cases.open(schoolId, new Cases.Report(in.studentNumber(), CaseSource.valueOf(in.source()),
                RiskLevel.valueOf(in.riskLevel()), in.note(), in.asqAnswers()), caller.subject(), now);
        return RestResponse.status(opened.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK, detail(opened.riskCase(), now));
    }

    @GET
    @Path("/cases/{caseId}")
    @Transactional
    @Operation(summary = "A case with its procedure checklist and clocks (identifiable: audited)")
    public CaseDetail get(@PathParam("caseId") UUID caseId) {
        RiskCase rc = scoped(caseId);
        audit.record(AuditTrail.Action.READ, "risk-case", rc.id.toString(), rc.schoolId, "case and procedure");
        return detail(rc, now());
    }

    @POST
    @Path("/cases/{caseId}/steps")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Record a procedure step done (who, when, how, note) or a documented exception (guardian unreachable, "
            + "guardian refuses, student absent, other: with a note)")
    public CaseDetail step(@PathParam("caseId") UUID caseId, @Valid @NotNull StepInput in) {
        RiskCase rc = scoped(caseId);
        OffsetDateTime now = now();
        steps.record(rc, new CaseSteps.Record(in.code(), in.outcome(), in.at(), in.how(), in.exceptionCode(), in.note()), caller.subject(), now);
        return detail(rc, now);
    }

    @POST
    @Path("/cases/{caseId}/sessions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.SCHOOL_COUNSELOR)
    @Transactional
    @Operation(summary = "Record a counselling session (date, length, kind, a short assessment, private notes); it completes the "
            + "procedure's open session step, and an assessment above the case's level raises the case")
    public RestResponse<Sessions.View> session(@PathParam("caseId") UUID caseId, @Valid @NotNull SessionInput in) {
        RiskCase rc = scoped(caseId);
        CounsellingSession s = sessions.record(rc, new Sessions.Held(in.heldOn(), in.minutes(), in.kind(), RiskLevel.valueOf(in.riskLevel()),
                in.safetyConcern(), in.progress(), in.privateNotes()), caller.subject(), now());
        return RestResponse.status(RestResponse.Status.CREATED, Sessions.View.of(s, true));
    }

    @GET
    @Path("/cases/{caseId}/sessions")
    @Transactional
    @Operation(summary = "A case's counselling sessions; the private notes only for the school's counsellors (audited)")
    public List<Sessions.View> sessions(@PathParam("caseId") UUID caseId) {
        RiskCase rc = scoped(caseId);
        boolean counsellor = caller.hasRole(Role.SCHOOL_COUNSELOR);
        audit.record(AuditTrail.Action.READ, "counselling-session", rc.id.toString(), rc.schoolId,
                counsellor ? "sessions with private notes" : "sessions");
        return sessions.of(rc, counsellor);
    }

    private CaseDetail detail(RiskCase rc, OffsetDateTime now) {
        Procedure procedure = procedures.procedure();
        List<StepView> views = steps.of(rc.id).stream().map(s -> new StepView(s.key.code(), title(procedure, s.key.code()), s.dueAt,
                s.critical, s.open() && !now.isBefore(s.dueAt), s.outcome, s.exceptionCode, s.how, s.note, s.doneAt, s.doneBy,
                procedure.escalation(s.dueAt, !s.open(), now), s.schoolAdminAlertedAt, s.bureauAlertedAt)).toList();
        return new CaseDetail(queue.view(rc), rc.source, rc.procedureVersion, views);
    }

    private static Instrument.Text title(Procedure procedure, String code) {
        return procedure.levels().values().stream().flatMap(List::stream).filter(s -> s.code().equals(code)).findFirst()
                .map(Procedure.Step::title).orElse(new Instrument.Text(code, code));
    }

    private RiskCase scoped(UUID caseId) {
        RiskCase rc = RiskCase.findById(caseId);
        if (rc == null || !caller.actsForSchool(rc.schoolId)) {
            throw Problem.notFound("case");
        }
        return rc;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
