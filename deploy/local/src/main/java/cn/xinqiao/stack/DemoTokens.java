package cn.xinqiao.stack;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Tokens the demo loader signs in with: its own service account, or a demo user (the realm's demo password). */
final class DemoTokens {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoTokens() {
    }

    static String loader(HttpClient http, String issuer) throws Exception {
        return token(http, issuer, "grant_type=client_credentials&client_id=xinqiao-loader&client_secret="
                + URLEncoder.encode(KeycloakServer.LOADER_SECRET, StandardCharsets.UTF_8), "the loader");
    }

    static String user(HttpClient http, String issuer, String user) throws Exception {
        return token(http, issuer, "grant_type=password&client_id=xinqiao-cli&password=xinqiao&username="
                + URLEncoder.encode(user, StandardCharsets.UTF_8), "demo user " + user);
    }

    private static String token(HttpClient http, String issuer, String form, String who) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(who + " could not get a token from Keycloak: " + response.statusCode());
        }
        return JSON.readTree(response.body()).path("access_token").asText();
    }
}
