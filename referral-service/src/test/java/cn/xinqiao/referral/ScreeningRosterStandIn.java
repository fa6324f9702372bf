package cn.xinqiao.referral;

import cn.xinqiao.testing.TestTokens;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * For referral-service's own tests: screening-service's identity endpoint and the realm's token endpoint, on
 * one local HTTP server (the end-to-end module runs the real screening-service and Keycloak). The token it
 * issues is signed by the test key and carries {@code referral-dispatcher}; the identity endpoint refuses any
 * other bearer. Keys starting with {@code unknown} are not on the roster (404); keys starting with
 * {@code down} answer 503. A discharge matches when it names 学生 + the key's first four characters, born 2010-03-04.
 */
public class ScreeningRosterStandIn implements QuarkusTestResourceLifecycleManager {

    static final AtomicInteger IDENTITY_CALLS = new AtomicInteger();
    /** Whom referral-service named as the person behind its last roster question. */
    static final java.util.concurrent.atomic.AtomicReference<String> LAST_ON_BEHALF_OF = new java.util.concurrent.atomic.AtomicReference<>();
    private HttpServer server;
    private String token;

    @Override
    public Map<String, String> start() {
        token = TestTokens.as("service-account-referral-service", "referral-dispatcher").district("370800").token();
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/token", ex -> {
            String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!form.contains("grant_type=client_credentials")) {
                reply(ex, 400, "{\"error\":\"unsupported_grant_type\"}");
                return;
            }
            reply(ex, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        });
        server.createContext("/api/referral-identities/", ex -> {
            IDENTITY_CALLS.incrementAndGet();
            if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 401, "{}");
                return;
            }
            String[] path = ex.getRequestURI().getPath().substring("/api/referral-identities/".length()).split("/");
            String key = path[0];
            Map<String, String> query = new java.util.HashMap<>();
            for (String pair : ex.getRequestURI().getQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String school = query.getOrDefault("schoolId", body.replaceAll(".*\"schoolId\":\"(S[0-9]{9})\".*", "$1"));
            LAST_ON_BEHALF_OF.set(query.get("onBehalfOf"));
            if (key.startsWith("unknown")) {
                reply(ex, 404, "{\"status\":404}");
            } else if (key.startsWith("down")) {
                reply(ex, 503, "{\"status\":503}");
            } else if (path.length == 2 && path[1].equals("enrolment")) {
                reply(ex, 200, "{\"studentKey\":\"" + key + "\",\"schoolId\":\"" + school + "\",\"grade\":10,\"sex\":\"FEMALE\"}");
            } else if (path.length == 2 && path[1].equals("match")) {
                boolean same = body.contains("\"name\":\"学生" + key.substring(0, 4) + "\"") && body.contains("\"birthDate\":\"2010-03-04\"");
                reply(ex, same ? 200 : 404, same ? "{\"studentKey\":\"" + key + "\",\"schoolId\":\"" + school + "\",\"grade\":10,\"sex\":\"FEMALE\"}"
                        : "{\"status\":404}");
            } else {
                reply(ex, 200, "{\"studentKey\":\"" + key + "\",\"schoolId\":\"" + school + "\",\"schoolName\":\"测试学校\","
                        + "\"studentNumber\":\"N" + key.substring(0, 6) + "\",\"name\":\"学生" + key.substring(0, 4) + "\","
                        + "\"sex\":\"FEMALE\",\"birthDate\":\"2010-03-04\",\"grade\":10,\"className\":\"2班\","
                        + "\"guardianName\":\"监护人" + key.substring(0, 2) + "\",\"guardianPhone\":\"13900000000\"}");
            }
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of(
                "quarkus.rest-client.screening.url", base,
                "quarkus.oidc-client.auth-server-url", base,
                "quarkus.oidc-client.discovery-enabled", "false",
                "quarkus.oidc-client.token-path", "/token",
                "quarkus.oidc-client.credentials.secret", "test-secret");
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
