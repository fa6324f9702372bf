package cn.xinqiao.reporting.rebuild;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URI;
import java.util.UUID;

/** Rebuild every read model by replaying the topics from the beginning; follow the progress. */
@Path("/api/reports/rebuilds")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.PLATFORM_ADMIN)
public class RebuildResource {

    @Inject
    Rebuild rebuild;

    @Inject
    Caller caller;

    @POST
    @Operation(summary = "Start a rebuild (202; 409 while one runs)")
    public Response start() {
        RebuildRuns.Run run = rebuild.start(caller.subject());
        return Response.accepted(run).location(URI.create("/api/reports/rebuilds/" + run.id())).build();
    }

    @GET
    @Path("/latest")
    @Operation(summary = "The most recent rebuild")
    public RebuildRuns.Run latest() {
        return rebuild.latest().flatMap(rebuild::find).orElseThrow(() -> Problem.notFound("no rebuild has run yet"));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Progress of a rebuild: events read of total, rejected, events/s, differences from the live read models")
    public RebuildRuns.Run get(@PathParam("id") String id) {
        try {
            return rebuild.find(UUID.fromString(id)).orElseThrow(() -> Problem.notFound("no such rebuild"));
        } catch (IllegalArgumentException e) {
            throw Problem.notFound("no such rebuild");
        }
    }
}
