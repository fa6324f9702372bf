package cn.xinqiao.referral.dispatch;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * screening-service's identity lookup for the green channel, called with referral-service's own
 * client-credentials token (role {@code referral-dispatcher}); screening audits every call.
 */
@RegisterRestClient(configKey = "screening")
@OidcClientFilter
@Path("/api/referral-identities")
@Produces(MediaType.APPLICATION_JSON)
public interface ScreeningRoster {

    @GET
    @Path("/{studentKey}")
    StudentIdentity identity(@PathParam("studentKey") String studentKey, @QueryParam("schoolId") String schoolId);
}
