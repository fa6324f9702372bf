package cn.xinqiao.notification.oncall;

import cn.xinqiao.notification.domain.AlertSpec.OrgKind;
import cn.xinqiao.notification.domain.OnCall;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.problem.ProblemDetails;
import cn.xinqiao.platform.tenancy.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code /api/on-call/{orgId}}: an organisation's ordered on-call contacts, their windows, and its lead. */
@Path("/api/on-call/{orgId}")
@RolesAllowed({"school-admin", "school-counselor", "clinician", "bureau-analyst", "hotline-supervisor", "hotline-operator", "platform-admin"})
public class OnCallResource {

    static final String USERNAME = "[a-z0-9][a-z0-9._@-]{0,99}";

    public record ContactIn(@NotNull @Pattern(regexp = USERNAME) String username,
                            @Pattern(regexp = "(?!.*(.).*\\1)[1-7]{1,7}") String days,
                            @Pattern(regexp = "([01]\\d|2[0-3]):[0-5]\\d") String from,
                            @Pattern(regexp = "([01]\\d|2[0-3]):[0-5]\\d") String to) {
    }

    /** {@code wecomRobotKey}: absent keeps the stored key, "" removes it. */
    public record RotaIn(@NotNull @Size(max = 20) List<@Valid @NotNull ContactIn> contacts, @Pattern(regexp = USERNAME) String lead,
                         @Pattern(regexp = "|[A-Za-z0-9-]{8,100}") String wecomRobotKey) {
    }

    public record ContactOut(String username, String days, String from, String to, boolean onCallNow) {
    }

    public record RotaOut(String orgId, OrgKind kind, List<ContactOut> contacts, String lead, boolean wecomRobot, List<String> onCallNow,
                          int version, OffsetDateTime updatedAt, String updatedBy) {
    }

    @Inject
    Caller caller;

    @Inject
    Rotas rotas;

    @GET
    public RotaOut get(@PathParam("orgId") String orgId) {
        OrgKind kind = Orgs.require(orgId);
        if (!Orgs.reads(caller, orgId)) {
            throw Problem.forbidden("you may see only your own organisation's on-call list");
        }
        RotaOut stored = rotas.find(orgId).map(OnCallResource::view)
                .orElse(new RotaOut(orgId, kind, List.of(), null, false, List.of(), 0, null, null));
        // who is on call now includes, for a hotline, the people on shift
        List<String> now = rotas.onCall(orgId, java.time.Instant.now()).onCallAt(java.time.Instant.now());
        return new RotaOut(stored.orgId(), stored.kind(), stored.contacts(), stored.lead(), stored.wecomRobot(), now, stored.version(),
                stored.updatedAt(), stored.updatedBy());
    }

    @PUT
    @Transactional
    @RolesAllowed({"school-admin", "clinician", "bureau-analyst", "hotline-supervisor", "platform-admin"})
    public RotaOut put(@PathParam("orgId") String orgId, @Valid @NotNull RotaIn in) {
        OrgKind kind = Orgs.require(orgId);
        if (!Orgs.manages(caller, orgId)) {
            throw Problem.forbidden("you may change only your own organisation's on-call list");
        }
        List<ProblemDetails.FieldError> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<OnCall.Contact> contacts = new ArrayList<>();
        for (int i = 0; i < in.contacts().size(); i++) {
            ContactIn c = in.contacts().get(i);
            if (!seen.add(c.username() + "|" + c.days() + "|" + c.from() + "|" + c.to())) {
                errors.add(new ProblemDetails.FieldError("contacts[" + i + "]", "the same person and window twice"));
            }
            if ((c.from() == null) != (c.to() == null)) {
                errors.add(new ProblemDetails.FieldError("contacts[" + i + "].to", "a window needs both from and to"));
            }
            contacts.add(new OnCall.Contact(c.username(), c.days() == null ? "1234567" : c.days(),
                    c.from() == null ? LocalTime.MIDNIGHT : LocalTime.parse(c.from()), c.to() == null ? LocalTime.MIDNIGHT : LocalTime.parse(c.to())));
        }
        if (!errors.isEmpty()) {
            throw Problem.invalid("the on-call list is not valid", errors);
        }
        rotas.replace(orgId, kind, new OnCall(contacts, in.lead()), in.wecomRobotKey(), caller.subject(), OffsetDateTime.now(ZoneOffset.UTC));
        return rotas.find(orgId).map(OnCallResource::view).orElseThrow();
    }

    public static RotaOut view(Rotas.Stored s) {
        var now = java.time.Instant.now();
        return new RotaOut(s.orgId(), s.kind(), s.onCall().contacts().stream().map(c -> new ContactOut(c.username(), c.days(),
                c.from().toString(), c.to().toString(), c.covers(now))).toList(), s.onCall().lead(), s.wecomRobotKey() != null,
                s.onCall().onCallAt(now), s.version(), s.updatedAt(), s.updatedBy());
    }
}
