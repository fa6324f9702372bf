package cn.xinqiao.referral.lifecycle;

import cn.xinqiao.platform.outbox.Outbox;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.pseudonym.Pseudonyms;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Districts;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.referral.dispatch.IdentityDirectory;
import cn.xinqiao.referral.dispatch.ScreeningRoster;
import cn.xinqiao.referral.dispatch.StudentIdentity;
import cn.xinqiao.referral.domain.Lifecycle;
import cn.xinqiao.referral.intake.ReferralRequest;
import cn.xinqiao.referral.lifecycle.Referral;
import cn.xinqiao.referral.lifecycle.ReferralQueries;
import cn.xinqiao.referral.lifecycle.ReferralService;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The green channel over REST: the hospital's inbox and lifecycle, the school's view of its referrals and the
 * guardian record, a counsellor's manual referral, and the bureau's (de-identified) escalation list.
 */
@Path("/api/referrals")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ReferralResource {

    @Inject
    Caller caller;

    @Inject
    ReferralQueries queries;

    @Inject
    ReferralService referrals;

    @Inject
    IdentityDirectory identities;

    @Inject
    Pseudonyms pseudonyms;

    @Inject
    Outbox outbox;

    @Inject
    HospitalReturns returns;

    public record TransitionBody(@NotBlank @Size(max = 20) String to,
                                 @Size(max = 500) String reason,
                                 OffsetDateTime appointmentAt,
                                 @Size(max = 2000) String note,
                                 @Valid ReturnBody returnSummary) {
    }

    /** The return summary a hospital sends with {@code completed}. */
    public record ReturnBody(@Size(max = 4000) String recommendations,
                             @Size(max = 6) List<@NotNull @Pattern(regexp = "REDUCED_WORKLOAD|EXAM_ARRANGEMENTS|SEATING_SUPERVISION|LEAVE|GRADUAL_RETURN|OTHER") String> accommodations,
                             Boolean medication,
                             OffsetDateTime nextAppointment,
                             @Size(max = 10) List<@NotNull @Valid FollowUpBody> followUpPlan) {
    }

    public record FollowUpBody(@jakarta.validation.constraints.Min(1) @jakarta.validation.constraints.Max(365) int afterDays,
                               @NotNull @Pattern(regexp = "SCHOOL|HOSPITAL") String by) {
    }

    public record GuardianBody(@NotNull @Pattern(regexp = "INFORMED|EXCEPTION") String kind,
                               OffsetDateTime informedAt,
                               @Pattern(regexp = "PHONE|IN_PERSON|WECHAT|LETTER|OTHER") String method,
                               @Pattern(regexp = "GUARDIAN_MAY_BE_RISK|GUARDIAN_UNREACHABLE|STUDENT_SAFETY|OTHER") String exceptionCode,
                               @Size(max = 2000) String note) {
    }

    public record ManualReferral(@NotBlank @Pattern(regexp = "[A-Za-z0-9-]{1,20}") String studentNumber,
                                 @NotNull @Pattern(regexp = "MODERATE|HIGH|CRITICAL") String riskLevel,
                                 @NotNull @Pattern(regexp = "[A-Za-z0-9_.:-]{1,60}") String reasonCode) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Accepted(UUID requestId, String status) {
    }

    /** A discharge back to school without a referral from here; the student as the hospital knows them. */
    public record ReturnInput(@NotNull @Pattern(regexp = "S[0-9]{9}") String schoolId,
                              @NotBlank @Pattern(regexp = "[A-Za-z0-9-]{1,20}") String studentNumber,
                              @NotBlank @Size(max = 50) String studentName,
                              @NotNull java.time.LocalDate birthDate,
                              @NotNull OffsetDateTime dischargedAt,
                              @Size(max = 2000) String note,
                              @NotNull @Valid ReturnBody returnSummary) {
    }

    @GET
    @RolesAllowed({Role.CLINICIAN, Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
    @Operation(summary = "Referrals of the caller's hospital (clinician: critical first) or school (counsellor); identity reads are audited")
    public List<ReferralQueries.View> list(@QueryParam("open") @DefaultValue("false") @Pattern(regexp = "true|false", message = "must be true or false") String openOnly,
                                           @QueryParam("limit") @DefaultValue("200") @Min(1) @Max(500) int limit) {
        return queries.list(scope(), Boolean.parseBoolean(openOnly), limit, now());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.CLINICIAN, Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
    @Operation(summary = "One referral with its history, guardian record and the hospital's feedback")
    public ReferralQueries.View get(@PathParam("id") UUID id) {
        return queries.detail(visible(id), now());
    }

    @POST
    @Path("/{id}/transitions")
    @RolesAllowed({Role.CLINICIAN, Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
    @Transactional
    @Operation(summary = "accepted | rejected (reason) | scheduled (appointmentAt) | completed | no-show | cancelled (reason); illegal → 409")
    public ReferralQueries.View transition(@PathParam("id") UUID id, @Valid @NotNull TransitionBody body) {
        Referral r = visible(id);
        Lifecycle.Party party = caller.hasRole(Role.CLINICIAN) ? Lifecycle.Party.HOSPITAL : Lifecycle.Party.SCHOOL;
        referrals.transition(r.id, new ReferralService.TransitionInput(body.to(), body.reason(), body.appointmentAt(), body.note(),
                        summary(body.returnSummary())),
                party, actor(), now());
        return queries.detail(r, now());
    }

    @POST
    @Path("/{id}/guardian-notification")
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
    @Transactional
    @Operation(summary = "Record that the guardian was informed (when, how) or a documented exception")
    public ReferralQueries.View guardian(@PathParam("id") UUID id, @Valid @NotNull GuardianBody body) {
        Referral r = visible(id);
        referrals.recordGuardian(r.id, new ReferralService.GuardianInput(body.kind(), body.informedAt(), body.method(),
                body.exceptionCode(), body.note()), actor(), now());
        return queries.detail(r, now());
    }

    @POST
    @RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
    @Transactional
    @Operation(summary = "A counsellor's manual referral of a student of their school; enters the green channel as referral.requests.v1")
    public Response refer(@Valid @NotNull ManualReferral body) {
        String school = caller.schoolId().orElseThrow(() -> Problem.forbidden("your account is not linked to a school"));
        String key = pseudonyms.studentKey(school, body.studentNumber());
        Optional<ScreeningRoster.Enrolment> student;
        try {
            student = identities.enrolment(key, school, caller.subject());
        } catch (IdentityDirectory.IdentityUnavailable e) {
            throw Problem.unavailable("roster-unavailable", "the school roster cannot be reached now; try again shortly");
        }
        ScreeningRoster.Enrolment s = student.orElseThrow(() -> Problem.unprocessable("unknown-student",
                "no student with this number on your school's roster"));
        UUID requestId = UUID.randomUUID();
        new ReferralRequest(requestId, "COUNSELOR", requestId, key, school, Districts.countyOfSchool(school), s.grade(), s.sex(), null,
                body.riskLevel(), List.of(ReferralRequest.Reason.coded(body.reasonCode())), now(), caller.subject()).publishTo(outbox);
        return Response.accepted(new Accepted(requestId, "queued")).build();
    }

    @POST
    @Path("/returns")
    @RolesAllowed(Role.CLINICIAN)
    @Transactional
    @Operation(summary = "A clinician discharges a student back to school after treatment that did not begin with a referral from here; "
            + "the student must be on the school's roster with this number, name and birth date")
    public Response discharge(@Valid @NotNull ReturnInput body) {
        String hospital = caller.hospitalId().orElseThrow(() -> Problem.forbidden("your account is not linked to a hospital"));
        String key = pseudonyms.studentKey(body.schoolId(), body.studentNumber());
        StudentIdentity s;
        try {
            // screening answers only whether they match: the hospital's own words are the identity it keeps
            ScreeningRoster.Enrolment found = identities.match(key, body.schoolId(), body.studentName().strip(), body.birthDate(), caller.subject())
                    .orElseThrow(() -> Problem.unprocessable("unknown-student",
                            "no student with this number, name and birth date on that school's roster"));
            s = new StudentIdentity(key, body.schoolId(), null, body.studentNumber(), body.studentName().strip(), found.sex(),
                    body.birthDate().toString(), found.grade(), null, null, null);
        } catch (IdentityDirectory.IdentityUnavailable e) {
            throw Problem.unavailable("roster-unavailable", "the school roster cannot be reached now; try again shortly");
        }
        Referral r = returns.discharge(new HospitalReturns.Discharge(hospital, s, body.dischargedAt(), body.note(), summary(body.returnSummary())),
                actor(), now());
        return Response.status(Response.Status.CREATED).entity(queries.detail(r, now())).build();
    }

    @GET
    @Path("/alerts")
    @RolesAllowed({Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN})
    @Operation(summary = "Open referrals in the caller's area that escalated, are overdue or found no partner hospital (no identity)")
    public List<ReferralQueries.Alert> alerts(@QueryParam("districtCode") @Pattern(regexp = "[1-8][0-9]{5}") String districtCode) {
        String area = districtCode != null ? districtCode : caller.districtCode().orElseThrow(() -> Problem.forbidden("no area in your token"));
        caller.requireDistrict(area);
        return queries.alerts(area, now());
    }

    private ReferralQueries.Scope scope() {
        if (caller.hasRole(Role.CLINICIAN)) {
            return ReferralQueries.Scope.hospital(caller.hospitalId().orElseThrow(() -> Problem.forbidden("your account is not linked to a hospital")));
        }
        return ReferralQueries.Scope.school(caller.schoolId().orElseThrow(() -> Problem.forbidden("your account is not linked to a school")));
    }

    /** The referral if the caller's hospital or school owns it; otherwise it does not exist for them. */
    private Referral visible(UUID id) {
        Referral r = queries.find(id);
        boolean mine = r != null && (caller.hasRole(Role.CLINICIAN) ? caller.actsForHospital(r.hospitalId) : caller.actsForSchool(r.schoolId));
        if (!mine) {
            throw Problem.notFound("referral");
        }
        return r;
    }

    private static ReturnSummary summary(ReturnBody body) {
        return body == null ? null : new ReturnSummary(blankToNull(body.recommendations()),
                body.accommodations() == null ? List.of() : List.copyOf(body.accommodations()),
                body.medication(), body.nextAppointment(),
                body.followUpPlan() == null ? List.of() : body.followUpPlan().stream()
                        .map(f -> new ReturnSummary.FollowUp(f.afterDays(), f.by())).toList());
    }

    /** Who acts, with the role they act in (the transition and its audit line record it). */
    private ReferralService.Actor actor() {
        return new ReferralService.Actor(caller.subject(), caller.hasRole(Role.CLINICIAN) ? Role.CLINICIAN
                : caller.hasRole(Role.SCHOOL_ADMIN) ? Role.SCHOOL_ADMIN : Role.SCHOOL_COUNSELOR);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
