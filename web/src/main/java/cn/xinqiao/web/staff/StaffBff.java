package cn.xinqiao.web.staff;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.IdToken;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The staff backend-for-frontend: the browser holds only the encrypted session cookie of the code flow;
 * {@code /bff/api/{service}/…} forwards to that service's {@code /api/…} with the user's access token, so every
 * service still enforces its own roles and tenancy. Calls that change something must carry
 * {@code X-Requested-With: xinqiao} (a cross-site form cannot set it), on top of the SameSite=Lax cookie.
 */
@Path("/bff")
public class StaffBff {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> PASSED_HEADERS = List.of("Content-Type", "Content-Disposition", "Location", "Retry-After");

    @ConfigProperty(name = "xinqiao.urls.screening")
    String screening;
    @ConfigProperty(name = "xinqiao.urls.referral")
    String referral;
    @ConfigProperty(name = "xinqiao.urls.hotline")
    String hotline;
    @ConfigProperty(name = "xinqiao.urls.reporting")
    String reporting;
    @ConfigProperty(name = "xinqiao.urls.notification")
    String notification;

    /** One thread per open notification stream (a staff page's bell), relaying the service's events as they come. */
    private static final java.util.concurrent.ExecutorService STREAMS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bff-notification-stream");
        t.setDaemon(true);
        return t;
    });

    /** The request being forwarded: its Accept-Language picks the language of the services' problem details. */
    @Inject
    io.vertx.core.http.HttpServerRequest incoming;

    @Inject
    AccessTokenCredential accessToken;

    @Inject
    @IdToken
    JsonWebToken idToken;

    @Inject
    SecurityIdentity identity;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    public record Me(String username, String name, List<String> roles, String schoolId, String districtCode, String hospitalId) {
    }

    /** Who is signed in, for the menu (what the page shows; every service checks again on its own). */
    @GET
    @Path("/me")
    @Produces(MediaType.APPLICATION_JSON)
    public Me me() {
        String name = idToken.getClaim("name");
        return new Me(idToken.getClaim("preferred_username"), name, List.copyOf(new TreeSet<>(identity.getRoles())),
                claim("school_id"), claim("district_code"), claim("hospital_id"));
    }

    @GET
    @Path("/api/{service}/{path: .*}")
    public Response get(@PathParam("service") String service, @PathParam("path") String path, @Context UriInfo uri,
                        @HeaderParam("Accept") String accept) {
        return forward("GET", service, path, uri, null, null, accept);
    }

    @POST
    @Path("/api/{service}/{path: .*}")
    public Response post(@PathParam("service") String service, @PathParam("path") String path, @Context UriInfo uri,
                         @HeaderParam("X-Requested-With") String marker, @HeaderParam("Content-Type") String type, InputStream body) {
        return change("POST", service, path, uri, marker, type, body);
    }

    @PUT
    @Path("/api/{service}/{path: .*}")
    public Response put(@PathParam("service") String service, @PathParam("path") String path, @Context UriInfo uri,
                        @HeaderParam("X-Requested-With") String marker, @HeaderParam("Content-Type") String type, InputStream body) {
        return change("PUT", service, path, uri, marker, type, body);
    }

    @PATCH
    @Path("/api/{service}/{path: .*}")
    public Response patch(@PathParam("service") String service, @PathParam("path") String path, @Context UriInfo uri,
                          @HeaderParam("X-Requested-With") String marker, @HeaderParam("Content-Type") String type, InputStream body) {
        return change("PATCH", service, path, uri, marker, type, body);
    }

    @DELETE
    @Path("/api/{service}/{path: .*}")
    public Response delete(@PathParam("service") String service, @PathParam("path") String path, @Context UriInfo uri,
                           @HeaderParam("X-Requested-With") String marker) {
        return change("DELETE", service, path, uri, marker, null, null);
    }

    /**
     * The bell's live stream: notification-service's Server-Sent Events relayed event by event with the user's token.
     * Heartbeat comments are relayed too, so a page the browser has left is noticed at the next one and the upstream
     * stream closed. The browser's EventSource reconnects by itself (and the bell reloads its list when it does).
     */
    @GET
    @Path("/api/notification/notifications/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void notifications(@jakarta.ws.rs.core.Context jakarta.ws.rs.sse.SseEventSink sink,
                              @jakarta.ws.rs.core.Context jakarta.ws.rs.sse.Sse sse) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(notification + "/api/notifications/stream"))
                .header("Authorization", "Bearer " + accessToken.getToken()).header("Accept", MediaType.SERVER_SENT_EVENTS).build();
        HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).whenComplete((response, failure) -> {
            if (failure != null || response.statusCode() != 200) {
                if (response != null) {
                    response.body().close();
                }
                sink.close();
                return;
            }
            STREAMS.execute(() -> relay(response.body(), sink, sse));
        });
    }

    static void relay(java.util.stream.Stream<String> lines, jakarta.ws.rs.sse.SseEventSink sink, jakarta.ws.rs.sse.Sse sse) {
        try (lines) {
            String name = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            for (java.util.Iterator<String> it = lines.iterator(); it.hasNext() && !sink.isClosed(); ) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        var event = sse.newEventBuilder().data(data.toString());
                        if (name != null) {
                            event.name(name);
                        }
                        if (id != null) {
                            event.id(id);
                        }
                        sink.send(event.build()).toCompletableFuture().join();
                    }
                    name = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    sink.send(sse.newEventBuilder().comment(line.substring(1).strip()).build()).toCompletableFuture().join();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).stripLeading());
                }
            }
        } catch (RuntimeException e) {
            // the browser went away (a send failed) or the service did: close both ends; EventSource reconnects
        } finally {
            sink.close();
        }
    }

    private Response change(String method, String service, String path, UriInfo uri, String marker, String type, InputStream body) {
        if (!"xinqiao".equals(marker)) {
            return problem(403, "csrf", "a change must come from the Xinqiao pages (X-Requested-With: xinqiao)");
        }
        return forward(method, service, path, uri, type, body, MediaType.APPLICATION_JSON);
    }

    private Response forward(String method, String service, String path, UriInfo uri, String type, InputStream body, String accept) {
        String base = switch (service) {
            case "screening" -> screening;
            case "referral" -> referral;
            case "hotline" -> hotline;
            case "reporting" -> reporting;
            case "notification" -> notification;
            default -> null;
        };
        if (base == null || !safePath(path)) {
            return problem(404, "not-found", "no such service");
        }
        String query = uri.getRequestUri().getRawQuery();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/" + path + (query == null ? "" : "?" + query)))
                .timeout(Duration.ofMinutes(5)).header("Authorization", "Bearer " + accessToken.getToken())
                .header("Accept", accept == null ? MediaType.APPLICATION_JSON : accept);
        if (type != null) {
            request.header("Content-Type", type);
        }
        String language = incoming.getHeader("Accept-Language");
        if (language != null && language.length() <= 200 && language.matches("[A-Za-z0-9,;=.* -]+")) {
            request.header("Accept-Language", language);
        }
        byte[] bytes;
        try {
            bytes = body == null ? null : body.readNBytes(MAX_FORWARDED_BODY + 1);
        } catch (IOException e) {
            return problem(400, "unreadable-body", "the request body could not be read");
        }
        if (bytes != null && bytes.length > MAX_FORWARDED_BODY) {
            return problem(413, "body-too-large", "the body may be at most " + MAX_FORWARDED_BODY + " bytes");
        }
        // forwarded with its length: the services take a body of undeclared length only as a file upload
        request.method(method, bytes == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        try {
            HttpResponse<InputStream> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            Response.ResponseBuilder out = Response.status(answer.statusCode()).entity(answer.body()).header("Cache-Control", "no-store");
            for (String header : PASSED_HEADERS) {
                answer.headers().firstValue(header).ifPresent(v -> out.header(header, v));
            }
            return out.build();
        } catch (IOException e) {
            return problem(503, "unavailable", service + " cannot be reached; try again in a moment");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return problem(503, "unavailable", service + " cannot be reached; try again in a moment");
        }
    }

    /** The largest body a page sends (a roster or paper-entry file); each service applies its own, smaller limits. */
    static final int MAX_FORWARDED_BODY = 20 * 1024 * 1024;

    private static final java.util.regex.Pattern SEGMENT = java.util.regex.Pattern.compile("[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,99}");

    /**
     * The path the BFF forwards under a service's {@code /api/}, already decoded once: only plain segments of unreserved
     * characters, none starting with a dot. What a second decoding in the service could turn into {@code ..} (an encoded
     * {@code %2e%2e}, a {@code %2f}) is refused here, so nothing outside {@code /api/} (e.g. {@code /q/*}) can be reached.
     */
    static boolean safePath(String path) {
        if (path == null || path.isEmpty() || path.length() > 1000) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                return false;
            }
        }
        return true;
    }

    /** A tenancy claim of the access token (already verified when the session was made; read, not re-checked). */
    private String claim(String name) {
        try {
            String payload = accessToken.getToken().split("\\.")[1];
            var node = json.readTree(java.util.Base64.getUrlDecoder().decode(payload)).path(name);
            return node.isMissingNode() || node.isNull() ? null : node.asText();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static Response problem(int status, String type, String detail) {
        return Response.status(status).type("application/problem+json")
                .entity(Map.of("type", "https://xinqiao.cn/problems/" + type, "title", type, "status", status, "detail", detail))
                .build();
    }
}
