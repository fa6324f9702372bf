package cn.xinqiao.screening.instrument;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.screening.domain.Instrument;
import cn.xinqiao.screening.instrument.InstrumentCatalog;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/**
 * Instrument definitions are public wording (no student data): readable without a token and cacheable, so a
 * CDN can serve the questionnaire during the city-wide login peak.
 */
@Path("/api/instruments")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class InstrumentResource {

    @Inject
    InstrumentCatalog catalog;

    public record Summary(String id, String version, Instrument.Text title, int items, Instrument.Ages ages) {
    }

    @GET
    @Operation(summary = "The instruments of this deployment (PHQ-9, PHQ-A, GAD-7, ASQ)")
    public Response list() {
        List<Summary> all = catalog.all().stream()
                .map(i -> new Summary(i.id(), i.version(), i.title(), i.items().size(), i.ages())).toList();
        return Response.ok(all).cacheControl(cache()).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One instrument: zh-CN and en wording, options, bands, critical-item rules, licence")
    public Response one(@PathParam("id") String id) {
        Instrument instrument = catalog.find(id).orElseThrow(() -> Problem.notFound("instrument"));
        return Response.ok(instrument).cacheControl(cache()).build();
    }

    private static CacheControl cache() {
        CacheControl cc = new CacheControl();
        cc.setMaxAge(3600);
        return cc;
    }
}
