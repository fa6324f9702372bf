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
import java.util.ArrayList;
import java.util.List;

/** The benchmarks' way to the running stack's APIs: the loader's service-account token and a request that must succeed. */
final class StackApi {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private StackApi() {
    }

    static String adminToken(String issuer) throws Exception {
        return token(issuer, "grant_type=client_credentials&client_id=xinqiao-loader&client_secret="
                + URLEncoder.encode(KeycloakServer.LOADER_SECRET, StandardCharsets.UTF_8));
    }

    /** A demo user's token (password grant of the public CLI client). */
    static String userToken(String issuer, String user) throws Exception {
        return token(issuer, "grant_type=password&client_id=xinqiao-cli&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=xinqiao");
    }

    private static String token(String issuer, String form) throws Exception {
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

    /**
     * Every run screens the same students, like a school screened again next semester. By then last semester's
     * referrals are closed; here nobody closed them, so a critical student's episode stayed open and merged every
     * run's request into it: after a few dozen runs each hospital message carried 40 reasons, and validating it
     * cost referral-service 40 ms instead of a few. So the benchmark school's counsellor (a demo account of the
     * realm) first cancels what earlier runs left open, through the API like any school.
     */
    static void closeEarlierReferrals(String issuer, String referral) throws Exception {
        String token;
        try {
            token = StackApi.userToken(issuer, "counselor.bench");
        } catch (IllegalStateException e) {
            System.out.println("[bench] NOTE no account counselor.bench (a stack made before it was added to the realm): referrals of earlier runs"
                    + " stay open and merge this run's requests, which makes referral-service's messages grow run by run");
            return;
        }
        int closed = 0;
        for (int page = 0; page < 100; page++) {
            List<String> open = new ArrayList<>();
            JSON.readTree(send(token, HttpRequest.newBuilder(URI.create(referral + "/api/referrals?open=true&limit=500")).GET()).body())
                    .forEach(r -> open.add(r.path("id").asText()));
            if (open.isEmpty()) {
                break;
            }
            for (String id : open) {
                HttpResponse<String> r = send(token, HttpRequest.newBuilder(URI.create(referral + "/api/referrals/" + id + "/transitions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"cancelled\",\"reason\":\"benchmark: closed before the next run\"}")));
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("closing referral " + id + " -> " + r.statusCode() + " " + r.body());
                }
                closed++;
            }
        }
        System.out.printf("[bench] closed %d referrals that earlier runs left open%n", closed);
    }
}
