package cn.xinqiao.screening.session;

import cn.xinqiao.screening.domain.ClientNetworks;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/api/student-sessions")
@PermitAll
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class StudentSessionResource {

    @Inject
    StudentSessionService sessions;

    private final ClientNetworks networks;

    @Inject
    public StudentSessionResource(StudentSessionConfig config) {
        this.networks = new ClientNetworks(config.login().trustedHops());
    }

    public record Login(@NotBlank @Size(max = 20) String accessCode, @Size(max = 20) String birthDate) {
    }

    @POST
    @Operation(summary = "Exchange an access code and the student's birth date for a short-lived student token "
            + "(failures spend the network's budget, shared by all replicas)")
    @ResponseStatus(201)
    public Uni<StudentSessionService.Session> login(@Valid @NotNull Login login, @Context HttpServerRequest request) {
        // the connection's own far end: the proxy-forwarding wrapper's remoteAddress() would believe the left-most entry
        String peer = request.connection() == null || request.connection().remoteAddress() == null ? null
                : request.connection().remoteAddress().hostAddress();
        String client = networks.client(peer, request.headers().getAll("X-Forwarded-For"));
        return sessions.login(login.accessCode(), login.birthDate(), ClientNetworks.network(client));
    }
}
