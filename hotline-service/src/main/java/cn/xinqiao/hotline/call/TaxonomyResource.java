package cn.xinqiao.hotline.call;

import cn.xinqiao.hotline.domain.Taxonomy;
import cn.xinqiao.platform.tenancy.Role;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The two-level call category taxonomy (zh-CN + en) the call screen's picker shows. */
@Path("/api/taxonomy")
@ApplicationScoped
public class TaxonomyResource {

    @Inject
    Taxonomy taxonomy;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Role.HOTLINE_OPERATOR, Role.HOTLINE_SUPERVISOR, Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN})
    @Operation(summary = "Call categories, two levels, modelled on Child Helpline International's framework")
    public JsonNode taxonomy() {
        return taxonomy.tree();
    }
}
