package cn.xinqiao.screening.session;

import cn.xinqiao.screening.session.StudentSessionService;
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

    public record Login(@NotBlank @Size(max = 20) String accessCode) {
    }

    @POST
    @Operation(summary = "Exchange an access code for a short-lived student token (rate-limited, locks out after repeated failures)")
    @ResponseStatus(201)
    public Uni<StudentSessionService.Session> login(@Valid @NotNull Login login, @Context HttpServerRequest request) {
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        return sessions.login(login.accessCode(), client);
    }
}
