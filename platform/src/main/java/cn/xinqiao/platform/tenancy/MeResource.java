package cn.xinqiao.platform.tenancy;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Set;
import java.util.TreeSet;

/** Who the server thinks the caller is: what the web UI uses to build its menu. Same on every service. */
@Path("/api/me")
@Authenticated
public class MeResource {

    @Inject
    Caller caller;

    public record Me(String subject, Set<String> roles, String schoolId, String districtCode, String hospitalId) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's roles and tenancy as read from the token")
    public Me me() {
        Set<String> roles = new TreeSet<>(caller.roles());
        roles.retainAll(Role.ALL);
        return new Me(caller.subject(), roles, caller.schoolId().orElse(null),
                caller.districtCode().orElse(null), caller.hospitalId().orElse(null));
    }
}
