package cn.xinqiao.bench;

import cn.xinqiao.stack.KeycloakServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The benchmarks' way to the running stack's APIs: the loader's service-account token and a request that must succeed. */
final class StackApi {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private StackApi() {
    }

    static String adminToken(String issuer) throws Exception {
        String form = "grant_type=client_credentials&client_id=xinqiao-loader&client_secret="
                + URLEncoder.encode(KeycloakServer.LOADER_SECRET, StandardCharsets.UTF_8);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (!body.has("access_token")) {
            throw new IllegalStateException("is the stack up (./xq up)? token endpoint said " + r.statusCode());
        }
        return body.path("access_token").asText();
    }

    static HttpResponse<String> send(String token, HttpRequest.Builder request) throws Exception {
        return send(token, request, Duration.ofSeconds(60));
    }

    static HttpResponse<String> send(String token, HttpRequest.Builder request, Duration timeout) throws Exception {
        HttpResponse<String> r = HTTP.send(request.header("Authorization", "Bearer " + token).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(r.request().method() + " " + r.request().uri() + " -> " + r.statusCode() + " " + r.body());
        }
        return r;
    }
}
