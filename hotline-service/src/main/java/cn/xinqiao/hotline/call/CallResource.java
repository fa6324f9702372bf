package cn.xinqiao.hotline.call;

import cn.xinqiao.hotline.call.CallQueries;
import cn.xinqiao.hotline.call.CallRecord;
import cn.xinqiao.hotline.call.CallService;
import cn.xinqiao.hotline.domain.RiskScreen;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
import java.util.UUID;

/** The call screen: start (timer), autosave, close; the operator's and supervisor's lists. */
@Path("/api/calls")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.HOTLINE_OPERATOR, Role.HOTLINE_SUPERVISOR})
public class CallResource {

    public record RiskAnswers(Boolean wishedDead, Boolean betterOffDead, Boolean suicidalThoughts, Boolean triedBefore,
                              Boolean thoughtsNow, @Pattern(regexp = "NONE|MILD|MODERATE|SEVERE") String distress) {
        RiskScreen.Answers toDomain() {
            return new RiskScreen.Answers(wishedDead, betterOffDead, suicidalThoughts, triedBefore, thoughtsNow,
                    distress == null ? null : RiskScreen.Distress.valueOf(distress));
        }
    }

    /** Every field optional: the screen saves what changed. {@code callerPhone} is hashed at once and never stored. */
    public record CallInput(@Pattern(regexp = "PHONE|WECHAT|ONLINE_CHAT") String channel,
                            @Pattern(regexp = "STUDENT|PARENT|TEACHER|OTHER") String callerType,
                            @Pattern(regexp = "[+0-9 ()-]{0,20}") String callerPhone,
                            Boolean identified,
                            @Pattern(regexp = "(S[0-9]{9})?") String schoolId,
                            @Pattern(regexp = "[A-Za-z0-9-]{0,20}") String studentNumber,
                            @Pattern(regexp = "([1-8][0-9]{5})?") String districtCode,
                            @Pattern(regexp = "UNDER_10|10_12|13_15|16_18|ADULT|UNKNOWN") String ageBand,
                            @Pattern(regexp = "MALE|FEMALE|UNKNOWN") String sex,
                            @Size(max = 30) List<@NotNull @Size(max = 82) String> categories,
                            @Valid RiskAnswers riskAnswers,
                            @Pattern(regexp = "NONE|LOW|MODERATE|HIGH|CRITICAL") String riskLevel,
                            @Size(max = 10) List<@NotNull String> actions,
                            @Size(max = 20000) String notes,
                            OffsetDateTime followUpAt) {
        CallService.Changes changes() {
            return new CallService.Changes(channel, callerType, callerPhone, identified, schoolId, studentNumber, districtCode,
                    ageBand, sex, categories, riskAnswers == null ? null : riskAnswers.toDomain(), riskLevel, actions, notes,
                    followUpAt);
        }
    }

    @Inject
    CallService calls;

    @Inject
    CallQueries queries;

    @Inject
    HotlineCaller caller;

    @POST
    @Transactional
    @Operation(summary = "Start a call: the timer starts now; send {} or the fields known already")
    public Response start(@Valid @NotNull CallInput in) {
        CallQueries.Viewer v = caller.viewer();
        CallRecord call = calls.start(v.hotline(), v.subject(), in.channel() == null ? "PHONE" : in.channel(), in.changes(), now());
        return Response.status(201).entity(queries.view(call, caller.viewer(), now())).build();
    }

    @GET
    @Operation(summary = "Calls of the operator's shifts (supervisor: the whole hotline), newest first; summaries only")
    public List<CallQueries.Summary> list(@QueryParam("status") @Pattern(regexp = "OPEN|CLOSED") String status,
                                          @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        return queries.list(caller.viewer(), status == null ? null : CallStatus.valueOf(status), limit);
    }

    @GET
    @Path("/follow-ups")
    @Operation(summary = "Promised callbacks due within the next 24 hours or overdue, overdue first, of the calls the caller may see; "
            + "summaries only")
    public List<CallQueries.Summary> followUps(@QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        return queries.followUps(caller.viewer(), now().plusHours(24), limit);
    }

    @GET
    @Path("/{id}")
    @Transactional
    @Operation(summary = "The full record with notes and the caller's earlier calls (audited)")
    public CallQueries.View get(@PathParam("id") UUID id) {
        return queries.view(visible(id), caller.viewer(), now());
    }

    /** What an autosave answers: enough for the screen to show "saved" and the computed risk, nothing it already has. */
    public record Saved(UUID id, int version, CallStatus status, String riskComputed, String riskLevel, OffsetDateTime savedAt) {
    }

    @PATCH
    @Transactional
    @Path("/{id}")
    @Operation(summary = "Autosave: the fields sent change; a closed call answers 409")
    public Saved update(@PathParam("id") UUID id, @Valid @NotNull CallInput input) {
        CallRecord call = calls.update(locked(id), input.changes(), now());
        CallRecord.flush();
        return new Saved(call.id, call.version, call.status, call.riskComputed, call.riskLevel, call.updatedAt);
    }

    @POST
    @Transactional
    @Path("/{id}/close")
    @Operation(summary = "End the call (needs caller type, categories, risk level); HIGH/CRITICAL identified student → referral request; CRITICAL anonymous → emergency escalation; closing again changes nothing")
    public CallQueries.View close(@PathParam("id") UUID id) {
        CallRecord call = calls.close(locked(id), now());
        return queries.view(call, caller.viewer(), now());
    }

    public record CallbackInput(@NotNull @Pattern(regexp = "REACHED|NO_ANSWER|DECLINED") String outcome, OffsetDateTime at,
                                @Size(max = 2000) String note) {
    }

    @POST
    @Transactional
    @Path("/{id}/callback")
    @Operation(summary = "The promised callback, made (REACHED, NO_ANSWER, DECLINED; when; a note that stays with the call): once per call")
    public CallQueries.View callback(@PathParam("id") UUID id, @Valid @NotNull CallbackInput input) {
        CallRecord call = calls.callback(locked(id), input.outcome(), input.note(), input.at(), caller.subject(), now());
        return queries.view(call, caller.viewer(), now());
    }

    private CallRecord visible(UUID id) {
        return visible(CallRecord.findById(id));
    }

    /** For a change: the row is read under its lock, so concurrent saves and a close apply one after the other. */
    private CallRecord locked(UUID id) {
        return visible(CallRecord.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE));
    }

    private CallRecord visible(CallRecord call) {
        if (!queries.visible(call, caller.viewer())) {
            throw Problem.notFound("call");
        }
        return call;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
