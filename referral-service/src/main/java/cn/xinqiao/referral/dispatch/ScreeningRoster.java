package cn.xinqiao.referral.dispatch;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.time.LocalDate;
import java.util.UUID;

/**
 * screening-service's roster questions for the green channel, called with referral-service's own
 * client-credentials token (role {@code referral-dispatcher}); screening audits every call with the person named in
 * {@code onBehalfOf}. The identity itself only for a student with an open referral request from the school.
 */
@RegisterRestClient(configKey = "screening")
@OidcClientFilter
@Path("/api/referral-identities")
@Produces(MediaType.APPLICATION_JSON)
public interface ScreeningRoster {

    /** Grade and sex of a student of the school, no identity. */
    record Enrolment(String studentKey, String schoolId, Integer grade, String sex) {
    }

    record MatchQuery(String schoolId, String name, LocalDate birthDate) {
    }

    @GET
    @Path("/{studentKey}")
    StudentIdentity identity(@PathParam("studentKey") String studentKey, @QueryParam("schoolId") String schoolId,
                             @QueryParam("referralId") UUID referralId, @QueryParam("onBehalfOf") String onBehalfOf);

    @GET
    @Path("/{studentKey}/enrolment")
    Enrolment enrolment(@PathParam("studentKey") String studentKey, @QueryParam("schoolId") String schoolId,
                        @QueryParam("onBehalfOf") String onBehalfOf);

    @POST
    @Path("/{studentKey}/match")
    @Consumes(MediaType.APPLICATION_JSON)
    Enrolment match(@PathParam("studentKey") String studentKey, @QueryParam("onBehalfOf") String onBehalfOf, MatchQuery query);
}
