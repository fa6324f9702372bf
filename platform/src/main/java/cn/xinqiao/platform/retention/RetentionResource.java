package cn.xinqiao.platform.retention;

import cn.xinqiao.platform.tenancy.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;

/** This service's retention schedule: what it keeps, for how long, why, and what is due now. */
@Path("/api/retention")
@Produces(MediaType.APPLICATION_JSON)
public class RetentionResource {

    @Inject
    RetentionJob job;

    @GET
    @RolesAllowed({Role.PLATFORM_ADMIN, Role.AUDITOR})
    @Operation(summary = "Dry run: each kind of data, how long it is kept and why, and how many rows are past it now (changes nothing)")
    public RetentionJob.Report dryRun() {
        return job.run(true, Instant.now());
    }

    @POST
    @Path("/runs")
    @RolesAllowed(Role.PLATFORM_ADMIN)
    @Operation(summary = "Purge now what is past its retention (the nightly job does the same; audited with the counts)")
    public RetentionJob.Report run() {
        return job.run(false, Instant.now());
    }
}
