package cn.xinqiao.web.student;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * The student's backend-for-frontend. The student token from screening-service never reaches
 * JavaScript: it lives in an HttpOnly, SameSite=Strict cookie scoped to {@code /bff/student}, and this
 * resource adds it to the calls it forwards. Screening's answers (receipts, problem details) pass
 * through unchanged; the forwarding chain is passed on with this hop's peer appended, so the login's guard
 * sees students, not this proxy.
 */
@Path("/bff/student")
@Produces(MediaType.APPLICATION_JSON)
public class StudentBff {

    static final String COOKIE = "xq_student";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ConfigProperty(name = "xinqiao.urls.screening", defaultValue = "http://localhost:8081")
    String screening;

    @Inject
    ObjectMapper json;

    @POST
    @Path("/session")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response login(JsonNode body, @Context HttpServerRequest request) {
        String code = body == null ? null : body.path("accessCode").asText(null);
        String birthDate = body == null ? null : body.path("birthDate").asText(null);
        HttpResponse<String> answer = forward("POST", "/api/student-sessions", null,
                json.createObjectNode().put("accessCode", code == null ? "" : code).put("birthDate", birthDate).toString(), request);
        if (answer.statusCode() != 201) {
            return passThrough(answer);
        }
        try {
            ObjectNode session = (ObjectNode) json.readTree(answer.body());
            String token = session.remove("token").asText();
            OffsetDateTime expires = OffsetDateTime.parse(session.path("expiresAt").asText());
            int maxAge = (int) Math.max(60, Duration.between(OffsetDateTime.now(), expires).getSeconds());
            NewCookie cookie = new NewCookie.Builder(COOKIE).value(token).path("/bff/student").httpOnly(true)
                    .secure(isHttps(request)).sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
            return Response.status(201).cookie(cookie).entity(session).header("Cache-Control", "no-store").build();
        } catch (IOException | RuntimeException e) {
            return problem(502, "screening-answer", "the screening service answered something unexpected; please try again");
        }
    }

    @POST
    @Path("/logout")
    public Response logout(@Context HttpServerRequest request) {
        NewCookie gone = new NewCookie.Builder(COOKIE).value("").path("/bff/student").httpOnly(true).secure(isHttps(request))
                .sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
        return Response.noContent().cookie(gone).build();
    }

    @GET
    @Path("/instruments/{id}")
    public Response instrument(@PathParam("id") String id, @jakarta.ws.rs.QueryParam("version") String version,
                               @Context HttpServerRequest request) {
        if (id == null || !id.matches("[A-Z0-9-]{2,10}") || version != null && !version.matches("[0-9][0-9A-Za-z.-]{0,15}")) {
            return problem(404, "not-found", "no such questionnaire");
        }
        HttpResponse<String> answer = forward("GET", "/api/instruments/" + id + (version == null ? "" : "?version=" + version), null, null, request);
        Response.ResponseBuilder out = Response.status(answer.statusCode()).entity(answer.body())
                .type(answer.headers().firstValue("Content-Type").orElse(MediaType.APPLICATION_JSON));
        if (answer.statusCode() == 200) {
            out.header("Cache-Control", "public, max-age=3600"); // instruments are versioned public definitions
        }
        return out.build();
    }

    @POST
    @Path("/submissions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(String body, @CookieParam(COOKIE) String token, @Context HttpServerRequest request) {
        if (token == null || token.isBlank()) {
            return problem(401, "no-session", "please enter your access code again / 请重新输入访问码");
        }
        return passThrough(forward("POST", "/api/submissions", token, body, request));
    }

    @ConfigProperty(name = "xinqiao.help-lines.hotline", defaultValue = "12356")
    String hotline;

    @ConfigProperty(name = "xinqiao.help-lines.emergency", defaultValue = "110,120")
    java.util.List<String> emergency;

    /** The city's help lines (a deployment setting) for every page a student or guardian sees. */
    @GET
    @Path("/help-lines")
    public Response helpLines() {
        return Response.ok(json.createObjectNode().put("hotline", hotline).set("emergency", json.valueToTree(emergency)))
                .header("Cache-Control", "public, max-age=300").build();
    }

    /** The guardian's consent page: the code from the link's fragment, in the body, to screening (no session, no cookie). */
    @POST
    @Path("/guardian/lookup")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response guardianLookup(JsonNode body, @Context HttpServerRequest request) {
        String code = body == null ? "" : body.path("code").asText("");
        return passThrough(forward("POST", "/api/guardian-consents/lookup", null, json.createObjectNode().put("code", code).toString(), request));
    }

    @POST
    @Path("/guardian/decision")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response guardianDecision(JsonNode body, @Context HttpServerRequest request) {
        ObjectNode out = json.createObjectNode();
        out.put("code", body == null ? "" : body.path("code").asText(""));
        out.put("decision", body == null ? "" : body.path("decision").asText(""));
        if (body != null && body.path("noticeVersion").isInt()) {
            out.put("noticeVersion", body.path("noticeVersion").asInt());
        }
        return passThrough(forward("POST", "/api/guardian-consents", null, out.toString(), request));
    }

    private HttpResponse<String> forward(String method, String path, String token, String body, HttpServerRequest request) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(screening + path)).timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        // The chain as it came, plus the hop that handed it to us (the connection's own far end: with proxy
        // forwarding on, remoteAddress() is an entry from the chain). Screening reads it from the right, believing
        // only entries its trusted hops wrote, so what a client writes into the header itself counts for nothing.
        String peer = request.connection() == null || request.connection().remoteAddress() == null ? null
                : request.connection().remoteAddress().hostAddress();
        if (peer != null) {
            String chain = String.join(", ", request.headers().getAll("X-Forwarded-For"));
            b.header("X-Forwarded-For", chain.isBlank() || chain.length() > 1000 ? peer : chain + ", " + peer);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ScreeningUnavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScreeningUnavailable();
        }
    }

    private static Response passThrough(HttpResponse<String> answer) {
        return Response.status(answer.statusCode()).entity(answer.body())
                .type(answer.headers().firstValue("Content-Type").orElse(MediaType.APPLICATION_JSON))
                .header("Cache-Control", "no-store").build();
    }

    static Response problem(int status, String type, String detail) {
        return Response.status(status).type("application/problem+json").header("Cache-Control", "no-store")
                .entity(Map.of("type", "https://xinqiao.cn/problems/" + type, "title", type, "status", status, "detail", detail))
                .build();
    }

    private static boolean isHttps(HttpServerRequest request) {
        return "https".equalsIgnoreCase(request.scheme()) || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
    }

    /** Screening cannot be reached: the page keeps the answers and offers to retry. */
    static final class ScreeningUnavailable extends RuntimeException {
        ScreeningUnavailable() {
            super("screening-service unreachable", null, false, false);
        }
    }

    @jakarta.ws.rs.ext.Provider
    public static final class UnavailableMapper implements jakarta.ws.rs.ext.ExceptionMapper<ScreeningUnavailable> {
        @Override
        public Response toResponse(ScreeningUnavailable e) {
            return problem(503, "unavailable", "the screening service cannot be reached; your answers are kept on this device, try again in a moment / 网络不稳定，答案已保存在本机，请稍后重试");
        }
    }
}
