package cn.xinqiao.hotline.shift;

import cn.xinqiao.hotline.call.HotlineCaller;
import cn.xinqiao.hotline.shift.Shift;
import cn.xinqiao.hotline.shift.ShiftService;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
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
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** The 24/7 roster with its coverage gaps, and handover notes between shifts. */
@Path("/api/shifts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ShiftResource {

    public record MemberInput(@NotBlank @Size(max = 64) String subject, @NotBlank @Size(max = 40) String displayName,
                              @NotNull @Pattern(regexp = "OPERATOR|SUPERVISOR") String role) {
    }

    public record ShiftInput(@NotNull OffsetDateTime startsAt, @NotNull OffsetDateTime endsAt,
                             @NotEmpty @Size(max = 50) List<@Valid @NotNull MemberInput> members) {
    }

    public record HandoverInput(@NotBlank @Size(max = 4000) String note) {
    }

    @Inject
    ShiftService shifts;

    @Inject
    HotlineCaller caller;

    @GET
    @RolesAllowed({Role.HOTLINE_OPERATOR, Role.HOTLINE_SUPERVISOR})
    @Operation(summary = "Shifts overlapping [from, to) (default: the next 7 days) and the gaps with no operator or no supervisor")
    public ShiftService.Roster roster(@QueryParam("from") OffsetDateTime from, @QueryParam("to") OffsetDateTime to) {
        OffsetDateTime start = from != null ? from : OffsetDateTime.now(ZoneOffset.UTC).withMinute(0).withSecond(0).withNano(0);
        OffsetDateTime end = to != null ? to : start.plusDays(7);
        if (!end.isAfter(start) || Duration.between(start, end).toDays() > 62) {
            throw Problem.badRequest("bad-period", "'to' must be after 'from', at most 62 days later");
        }
        return shifts.roster(caller.viewer().hotline(), start, end);
    }

    @POST
    @Transactional
    @RolesAllowed(Role.HOTLINE_SUPERVISOR)
    @Operation(summary = "Add a shift with its operators and supervisors")
    public Response create(@Valid @NotNull ShiftInput input) {
        Shift shift = shifts.create(caller.viewer().hotline(), input.startsAt(), input.endsAt(), input.members().stream()
                .map(m -> new ShiftService.Member(m.subject(), m.displayName(), m.role())).toList(), caller.subject(), now());
        return Response.status(201).entity(java.util.Map.of("id", shift.id)).build();
    }

    @POST
    @Path("/{id}/handover")
    @Transactional
    @RolesAllowed({Role.HOTLINE_OPERATOR, Role.HOTLINE_SUPERVISOR})
    @Operation(summary = "A handover note for the next shift (members of the shift and supervisors)")
    public Response handover(@PathParam("id") UUID id, @Valid @NotNull HandoverInput input) {
        Shift shift = Shift.findById(id);
        var viewer = caller.viewer();
        if (shift == null || !shift.hotline.equals(viewer.hotline())) {
            throw Problem.notFound("shift");
        }
        if (!viewer.supervisor() && !shifts.isMember(id, viewer.subject())) {
            throw Problem.forbidden("only the shift's own staff or a supervisor write its handover");
        }
        shifts.handover(shift, viewer.subject(), input.note(), now());
        return Response.status(201).build();
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
