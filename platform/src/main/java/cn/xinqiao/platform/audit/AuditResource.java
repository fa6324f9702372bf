package cn.xinqiao.platform.audit;

import cn.xinqiao.platform.tenancy.Role;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
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

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The auditor's search over this service's audit log. Read-only by design: there is no write API. */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.AUDITOR)
public class AuditResource {

    public record AuditLine(long id, OffsetDateTime at, String actor, String actorRoles, String action,
                            String resource, String resourceId, String schoolId, String purpose) {
    }

    @GET
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditLine> search(@QueryParam("actor") String actor,
                                  @QueryParam("resource") String resource,
                                  @QueryParam("resourceId") String resourceId,
                                  @QueryParam("schoolId") @Pattern(regexp = "S[0-9]{9}", message = "must be S + 9 digits") String schoolId,
                                  @QueryParam("from") OffsetDateTime from,
                                  @QueryParam("to") OffsetDateTime to,
                                  @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                  @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (actor != null) { where.add("actor = :actor"); params.and("actor", actor); }
        if (resource != null) { where.add("resource = :resource"); params.and("resource", resource); }
        if (resourceId != null) { where.add("resourceId = :resourceId"); params.and("resourceId", resourceId); }
        if (schoolId != null) { where.add("schoolId = :schoolId"); params.and("schoolId", schoolId); }
        if (from != null) { where.add("at >= :from"); params.and("from", from); }
        if (to != null) { where.add("at < :to"); params.and("to", to); }
        String query = where.isEmpty() ? "1 = 1" : String.join(" and ", where);
        return AuditRecord.<AuditRecord>find(query, Sort.descending("id"), params)
                .page(Page.of(page, size)).list().stream()
                .map(r -> new AuditLine(r.id, r.at, r.actor, r.actorRoles, r.action, r.resource, r.resourceId,
                        r.schoolId, r.purpose))
                .toList();
    }
}
