package cn.xinqiao.e2e;

import cn.xinqiao.stack.DemoCity;
import cn.xinqiao.stack.LocalStack;
import cn.xinqiao.stack.Ports;
import io.restassured.RestAssured;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The real stack (as {@code ./xq up} runs it, prod profile, demo city) on ports shifted by 10000 so it can run
 * beside a developer's stack; started once per test JVM, stopped at exit.
 */
final class Stack {

    private static LocalStack stack;
    private static final Map<String, String> TOKENS = new HashMap<>();

    private Stack() {
    }

    static synchronized LocalStack get() throws Exception {
        if (stack == null) {
            Path root = Path.of(System.getProperty("xinqiao.root", "..")).toAbsolutePath().normalize();
            Path data = root.resolve("end-to-end-tests/target/stack");
            fresh(data);
            stack = LocalStack.start(root, data, Ports.defaults().shifted(10000),
                    line -> System.out.println("[e2e] " + line));
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
            DemoCity.loadOnce(stack, data, line -> System.out.println("[e2e] " + line));
        }
        return stack;
    }

    /** Every run starts from an empty city (Keycloak's distribution is unpacked and built once, in deploy/local/target). */
    private static void fresh(Path data) throws java.io.IOException {
        if (!java.nio.file.Files.exists(data)) {
            return;
        }
        try (var entries = java.nio.file.Files.list(data)) {
            for (Path entry : entries.toList()) {
                try (var tree = java.nio.file.Files.walk(entry)) {
                    tree.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    static String url(String app) throws Exception {
        return get().app(app).url();
    }

    /** A real Keycloak token for a demo user (password grant of the public CLI client). */
    static synchronized String token(String user) throws Exception {
        if (!TOKENS.containsKey(user)) {
            String token = RestAssured.given().formParam("grant_type", "password").formParam("client_id", "xinqiao-cli")
                    .formParam("username", user).formParam("password", "xinqiao")
                    .post(get().issuer() + "/protocol/openid-connect/token")
                    .then().statusCode(200).extract().path("access_token");
            TOKENS.put(user, token);
        }
        return TOKENS.get(user);
    }

    /** The student's birth date as the school's roster holds it: what the student types with the access code. */
    static String birthDate(String staffToken, String schoolId, String studentNumber) throws Exception {
        return RestAssured.given().auth().oauth2(staffToken).get(url("screening-service") + "/api/schools/" + schoolId + "/students")
                .then().statusCode(200).extract().<java.util.List<java.util.Map<String, Object>>>path("$").stream()
                .filter(s -> studentNumber.equals(s.get("studentNumber"))).map(s -> (String) s.get("birthDate")).findFirst().orElseThrow();
    }
}
