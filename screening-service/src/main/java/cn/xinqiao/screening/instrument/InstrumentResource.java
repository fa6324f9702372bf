package cn.xinqiao.screening.instrument;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.problem.ProblemDetails;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.screening.domain.Instrument;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Instrument definitions. Published versions are public wording (no student data): readable without a token and
 * cacheable, so a CDN can serve the questionnaire during the city-wide login peak. Platform admins upload new
 * instruments and versions (validated, kept as drafts), preview them and publish them.
 */
@Path("/api/instruments")
@Produces(MediaType.APPLICATION_JSON)
public class InstrumentResource {

    @Inject
    InstrumentCatalog catalog;

    @Inject
    Caller caller;

    public record Summary(String id, String version, Instrument.Text title, int items, Instrument.Ages ages, String respondent) {
    }

    @GET
    @PermitAll
    @Operation(summary = "The instruments of this deployment, each at its latest published version")
    public Response list() {
        List<Summary> all = catalog.all().stream()
                .map(i -> new Summary(i.id(), i.version(), i.title(), i.items().size(), i.ages(), i.byGuardian() ? "GUARDIAN" : "STUDENT")).toList();
        return Response.ok(all).cacheControl(cache()).build();
    }

    @GET
    @Path("/{id}")
    @PermitAll
    @Operation(summary = "One published instrument (the latest, or ?version= as a campaign pins it): wording, options, bands, rules, licence")
    public Response one(@PathParam("id") String id, @QueryParam("version") String version) {
        if (version != null && !version.matches("[0-9][0-9A-Za-z.-]{0,15}")) {
            throw Problem.badRequest("bad-version", "version looks like 1.0");
        }
        Instrument instrument = (version == null ? catalog.find(id) : catalog.find(id, version))
                .orElseThrow(() -> Problem.notFound("instrument"));
        return Response.ok(instrument).cacheControl(cache()).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.PLATFORM_ADMIN)
    @Operation(summary = "Upload a new instrument or version as a draft: the definition is validated and every problem names its field")
    public Response upload(String body) {
        Instrument definition;
        try {
            definition = BuiltInInstruments.JSON.readValue(body == null ? "" : body, Instrument.class);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw Problem.invalid("the instrument definition cannot be read",
                    List.of(new ProblemDetails.FieldError(field.isEmpty() ? "definition" : field, "is not what an instrument definition holds here")));
        } catch (JsonProcessingException e) {
            throw Problem.badRequest("malformed-json", "the definition is not JSON");
        }
        if (definition == null) {
            throw Problem.badRequest("missing-body", "send the instrument definition as JSON");
        }
        InstrumentCatalog.VersionView saved = catalog.upload(definition, caller.subject());
        return Response.created(URI.create("/api/instruments/" + saved.id() + "/versions/" + saved.version())).entity(saved).build();
    }

    @GET
    @Path("/{id}/versions")
    @RolesAllowed(Role.PLATFORM_ADMIN)
    @Operation(summary = "Every version of an instrument, drafts included, newest first")
    public List<InstrumentCatalog.VersionView> versions(@PathParam("id") String id) {
        return catalog.versions(id);
    }

    @GET
    @Path("/{id}/versions/{version}")
    @RolesAllowed(Role.PLATFORM_ADMIN)
    @Operation(summary = "One version, a draft too: the preview of the questionnaire as a student or guardian will see it")
    public Instrument version(@PathParam("id") String id, @PathParam("version") String version) {
        return catalog.anyVersion(id, version).orElseThrow(() -> Problem.notFound("no such instrument version"));
    }

    @POST
    @Path("/{id}/versions/{version}/publication")
    @RolesAllowed(Role.PLATFORM_ADMIN)
    @Operation(summary = "Publish a draft: new campaigns pin it; open campaigns keep the version they started with")
    public InstrumentCatalog.VersionView publish(@PathParam("id") String id, @PathParam("version") String version) {
        return catalog.publish(id, version, caller.subject());
    }

    private static CacheControl cache() {
        CacheControl cc = new CacheControl();
        cc.setMaxAge(3600);
        return cc;
    }
}
