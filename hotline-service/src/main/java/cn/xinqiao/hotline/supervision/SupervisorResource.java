package cn.xinqiao.hotline.supervision;

import cn.xinqiao.hotline.call.CallQueries;
import cn.xinqiao.hotline.call.CallStatus;
import cn.xinqiao.hotline.call.HotlineCaller;
import cn.xinqiao.hotline.shift.ShiftService;
import cn.xinqiao.hotline.supervision.EmergencyEscalation;
import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Role;
import com.fasterxml.jackson.annotation.JsonInclude;
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

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** The supervisor's live board and the emergency escalations only a supervisor may close. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.HOTLINE_SUPERVISOR)
public class SupervisorResource {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Escalation(UUID id, UUID callId, String riskLevel, OffsetDateTime openedAt, OffsetDateTime closedAt,
                             String closedBy, String resolution, String note) {
        static Escalation of(EmergencyEscalation e) {
            return new Escalation(e.id, e.callId, e.riskLevel, e.openedAt, e.closedAt, e.closedBy, e.resolution, e.note);
        }
    }

    public record CloseInput(@NotNull @Pattern(regexp = "EMERGENCY_SERVICES|CALLER_SAFE|IDENTIFIED_AND_REFERRED|LOST_CONTACT|OTHER") String resolution,
                             @NotBlank @Size(max = 4000) String note) {
    }

    public record Board(List<CallQueries.Summary> callsInProgress, List<Escalation> openEscalations,
                        List<ShiftService.ShiftView> onDuty, List<ShiftService.Gap> gapsNext24h) {
    }

    @Inject
    HotlineCaller caller;

    @Inject
    CallQueries calls;

    @Inject
    ShiftService shifts;

    @Inject
    AuditTrail audit;

    @GET
    @Path("/board")
    @Operation(summary = "Live: calls in progress, unresolved emergency escalations, who is on duty, coverage gaps in the next 24 h")
    public Board board() {
        String hotline = caller.viewer().hotline();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        ShiftService.Roster today = shifts.roster(hotline, now, now.plusHours(24));
        return new Board(calls.list(caller.viewer(), CallStatus.OPEN, 500), openEscalations(hotline),
                today.shifts().stream().filter(s -> !s.startsAt().isAfter(now)).toList(), today.gaps());
    }

    @GET
    @Path("/escalations")
    @Operation(summary = "Open emergency escalations (CRITICAL callers who could not be identified), oldest first")
    public List<Escalation> escalations() {
        return openEscalations(caller.viewer().hotline());
    }

    @POST
    @Path("/escalations/{id}/close")
    @Transactional
    @Operation(summary = "Close an emergency escalation with what was done")
    public Escalation close(@PathParam("id") UUID id, @Valid @NotNull CloseInput input) {
        EmergencyEscalation e = EmergencyEscalation.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (e == null || !e.hotline.equals(caller.viewer().hotline())) {
            throw Problem.notFound("escalation");
        }
        if (e.closedAt != null) {
            throw Problem.conflict("escalation-closed", "this escalation was already closed");
        }
        e.closedAt = OffsetDateTime.now(ZoneOffset.UTC);
        e.closedBy = caller.subject();
        e.resolution = input.resolution();
        e.note = input.note().strip();
        audit.record(AuditTrail.Action.UPDATE, "emergency-escalation", e.id.toString(), null, input.resolution());
        return Escalation.of(e);
    }

    private static List<Escalation> openEscalations(String hotline) {
        return EmergencyEscalation.<EmergencyEscalation>list("hotline = ?1 and closedAt is null order by openedAt", hotline)
                .stream().map(Escalation::of).toList();
    }
}
