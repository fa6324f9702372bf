package cn.xinqiao.platform.audit;

import cn.xinqiao.platform.tenancy.Role;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The auditor's search over this service's audit log, and its export as CSV (an export is itself on record).
 * Read-only by design: there is no write API.
 */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.AUDITOR)
public class AuditResource {

    /** The most lines one export holds: narrow the filters for more. */
    static final int EXPORT_LIMIT = 50_000;

    public record AuditLine(long id, OffsetDateTime at, String actor, String actorRoles, String action,
                            String resource, String resourceId, String schoolId, String purpose) {
    }

    @Inject
    AuditTrail audit;

    @GET
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditLine> search(@QueryParam("actor") String actor,
                                  @QueryParam("action") @Pattern(regexp = "READ|CREATE|UPDATE|EXPORT|TRANSITION", message = "must be READ, CREATE, UPDATE, EXPORT or TRANSITION") String action,
                                  @QueryParam("resource") String resource,
                                  @QueryParam("resourceId") String resourceId,
                                  @QueryParam("schoolId") @Pattern(regexp = "S[0-9]{9}", message = "must be S + 9 digits") String schoolId,
                                  @QueryParam("from") OffsetDateTime from,
                                  @QueryParam("to") OffsetDateTime to,
                                  @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                  @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size) {
        return find(actor, action, resource, resourceId, schoolId, from, to, Page.of(page, size));
    }

    @GET
    @Path("/export")
    @Produces({"text/csv", "application/problem+json"})
    @Transactional
    public Response export(@QueryParam("actor") String actor,
                           @QueryParam("action") @Pattern(regexp = "READ|CREATE|UPDATE|EXPORT|TRANSITION", message = "must be READ, CREATE, UPDATE, EXPORT or TRANSITION") String action,
                           @QueryParam("resource") String resource,
                           @QueryParam("resourceId") String resourceId,
                           @QueryParam("schoolId") @Pattern(regexp = "S[0-9]{9}", message = "must be S + 9 digits") String schoolId,
                           @QueryParam("from") OffsetDateTime from,
                           @QueryParam("to") OffsetDateTime to) {
        List<AuditLine> lines = find(actor, action, resource, resourceId, schoolId, from, to, Page.ofSize(EXPORT_LIMIT));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        StringBuilder csv = new StringBuilder("编号,时间,操作人,角色,操作,资源,资源编号,学校,目的\r\n");
        for (AuditLine l : lines) {
            csv.append(String.join(",", List.of(Long.toString(l.id()), String.valueOf(l.at()), cell(l.actor()), cell(l.actorRoles()),
                    cell(l.action()), cell(l.resource()), cell(l.resourceId()), cell(l.schoolId()), cell(l.purpose())))).append("\r\n");
        }
        out.writeBytes(csv.toString().getBytes(StandardCharsets.UTF_8));
        audit.record(AuditTrail.Action.EXPORT, "audit-log", null, schoolId, lines.size() + " lines exported");
        return Response.ok(out.toByteArray(), "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"xinqiao-audit.csv\"").header("Cache-Control", "no-store").build();
    }

    private static List<AuditLine> find(String actor, String action, String resource, String resourceId, String schoolId,
                                        OffsetDateTime from, OffsetDateTime to, Page page) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (actor != null) { where.add("actor = :actor"); params.and("actor", actor); }
        if (action != null) { where.add("action = :action"); params.and("action", action); }
        if (resource != null) { where.add("resource = :resource"); params.and("resource", resource); }
        if (resourceId != null) { where.add("resourceId = :resourceId"); params.and("resourceId", resourceId); }
        if (schoolId != null) { where.add("schoolId = :schoolId"); params.and("schoolId", schoolId); }
        if (from != null) { where.add("at >= :from"); params.and("from", from); }
        if (to != null) { where.add("at < :to"); params.and("to", to); }
        String query = where.isEmpty() ? "1 = 1" : String.join(" and ", where);
        return AuditRecord.<AuditRecord>find(query, Sort.descending("id"), params)
                .page(page).list().stream()
                .map(r -> new AuditLine(r.id, r.at, r.actor, r.actorRoles, r.action, r.resource, r.resourceId,
                        r.schoolId, r.purpose))
                .toList();
    }

    /** A CSV cell: quoted, and a leading = + - @ made inert (a spreadsheet would run it as a formula). */
    static String cell(String v) {
        if (v == null) {
            return "";
        }
        String s = !v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0 ? "'" + v : v;
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
