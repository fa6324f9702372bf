package cn.xinqiao.reporting.outreach;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.reporting.report.Period;
import cn.xinqiao.reporting.training.TrainingResource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;

/** A partner hospital's outreach: publications and school visits, recorded by its clinicians, read by the bureau. */
@Path("/api/hospitals/{hospitalId}/outreach")
@Produces(MediaType.APPLICATION_JSON)
public class OutreachResource {

    @Inject
    Outreach outreach;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.CLINICIAN)
    @Operation(summary = "Record a publication on the hospital's channels or an expert's visit to a school")
    public Response record(@PathParam("hospitalId") String hospitalId, Outreach.NewItem body) {
        if (body == null) {
            throw Problem.badRequest("missing-body", "send the outreach as JSON");
        }
        Outreach.Item saved = outreach.record(hospitalId, body, LocalDate.now(Period.CHINA));
        return Response.created(URI.create("/api/hospitals/" + hospitalId + "/outreach/" + saved.id())).entity(saved).build();
    }

    @GET
    @RolesAllowed({Role.CLINICIAN, Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN})
    @Operation(summary = "The hospital's outreach in a year, newest first")
    public List<Outreach.Item> list(@PathParam("hospitalId") String hospitalId, @QueryParam("year") String year) {
        return outreach.list(hospitalId, TrainingResource.year(year));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Role.CLINICIAN)
    @Operation(summary = "Remove an outreach record made by mistake")
    public Response delete(@PathParam("hospitalId") String hospitalId, @PathParam("id") String id) {
        outreach.delete(hospitalId, TrainingResource.uuid(id));
        return Response.noContent().build();
    }
}
