package cn.xinqiao.e2e;

import cn.xinqiao.stack.App;
import cn.xinqiao.stack.LocalStack;
import cn.xinqiao.stack.PostgresServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guessing access codes against a scaled-out screening-service: guesses alternate between the replica behind the web
 * BFF and a second replica started beside it (same database, same Kafka group), all from one network, and the
 * network's one budget holds across both. Then a city-wide guessing run from many networks reaches the city
 * bureau's duty officer as an alert.
 */
class StudentLoginIT {

    private static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static App second;

    @BeforeAll
    static void up() throws Exception {
        LocalStack stack = Stack.get();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        second = stack.startReplica("screening-service", port);
    }

    static String guess() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    static Response viaBff(String network, String code, String birthDate) throws Exception {
        return given().header("X-Forwarded-For", network).contentType("application/json")
                .body(Map.of("accessCode", code, "birthDate", birthDate)).post(Stack.url("web") + "/bff/student/session");
    }

    static Response viaSecondReplica(String network, String code, String birthDate) {
        return given().header("X-Forwarded-For", network).contentType("application/json")
                .body(Map.of("accessCode", code, "birthDate", birthDate)).post(second.url() + "/api/student-sessions");
    }

    @Test
    void guessesThroughTwoReplicasSpendOneSharedBudget() throws Exception {
        String network = "203.0.113.77";
        int evaluated = 0;
        int refused = 0;
        for (int i = 0; i < 200; i++) {
            Response r = i % 2 == 0 ? viaBff(network, guess(), "2010-03-04") : viaSecondReplica(network, guess(), "2010-03-04");
            if (r.statusCode() == 401) {
                evaluated++;
            } else if (r.statusCode() == 429) {
                refused++;
            } else {
                throw new AssertionError("a guess answered " + r.statusCode() + ": " + r.asString());
            }
        }
        System.out.printf("two replicas, one network: 200 guesses, %d evaluated, %d refused (budget 20)%n", evaluated, refused);
        // 20 failures lock the network everywhere; the other replica evaluates at most the one guess whose recording told it
        assertTrue(evaluated >= 20 && evaluated <= 21, "guesses evaluated across both replicas: " + evaluated);

        // now even the right code and birth date are refused from that network, on both replicas
        String counselor = Stack.token("counselor.jn1");
        String screening = Stack.url("screening-service");
        String campaign = given().auth().oauth2(counselor).get(screening + "/api/campaigns").then().statusCode(200).extract().path("[0].id");
        Map<String, Object> slip = given().auth().oauth2(counselor)
                .get(screening + "/api/campaigns/" + campaign + "/access-codes?grade=10&className=1班").then().statusCode(200).extract().path("[11]");
        String code = (String) slip.get("accessCode");
        String born = Stack.birthDate(counselor, "S370811001", (String) slip.get("studentNumber"));
        assertEquals(429, viaBff(network, code, born).statusCode());
        assertEquals(429, viaSecondReplica(network, code, born).statusCode());
        // another network is not affected, on either replica
        assertEquals(201, viaSecondReplica("203.0.113.78", code, born).statusCode());
        assertEquals(201, viaBff("203.0.113.78", code, born).statusCode());
    }

    @Test
    void aCityWideGuessingRunReachesTheCityBureausDutyOfficer() throws Exception {
        Instant since = Instant.now();
        long successes;
        try (Connection c = DriverManager.getConnection(Stack.get().jdbcUrl("screening"), PostgresServer.OPERATOR_USER, PostgresServer.OPERATOR_PASSWORD);
             ResultSet rs = c.createStatement().executeQuery(
                     "select coalesce(sum(successes), 0) from login_rate where minute >= date_trunc('minute', now()) - interval '6 minutes'")) {
            rs.next();
            successes = rs.getLong(1);
        }
        long guesses = Math.max(320, successes + 50); // more failures than the alarm's 300, and more than the logins that succeeded
        for (int i = 0; i < guesses; i++) {
            String network = "100.64." + (i / 200) + "." + (i % 200 + 1); // a botnet: each address guesses once
            int status = (i % 2 == 0 ? viaBff(network, guess(), "2009-09-09") : viaSecondReplica(network, guess(), "2009-09-09")).statusCode();
            assertEquals(401, status);
        }
        String analyst = Stack.token("analyst.city");
        String notification = Stack.url("notification-service");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90)); // the alarm looks every 30 s
        List<Map<String, Object>> mine = List.of();
        while (Instant.now().isBefore(deadline)) {
            mine = given().auth().oauth2(analyst).get(notification + "/api/notifications/mine").then().statusCode(200).extract().path("$");
            if (mine.stream().anyMatch(n -> String.valueOf(n.get("title")).contains("可能有人在猜测访问码"))) {
                break;
            }
            Thread.sleep(1000);
        }
        Map<String, Object> alert = mine.stream().filter(n -> String.valueOf(n.get("title")).contains("可能有人在猜测访问码")).findFirst()
                .orElseThrow(() -> new AssertionError("no login-spike alert for the city bureau within 90 s"));
        System.out.printf("guessing run of %d failures from %d networks: alert at the city bureau after %d s: %s%n", guesses, guesses,
                Duration.between(since, Instant.now()).toSeconds(), alert.get("title"));
        Instant mailDeadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Stack.get().mail().received().stream().noneMatch(m -> (m.subject() + m.body()).contains("可能有人在猜测访问码"))) {
            assertTrue(Instant.now().isBefore(mailDeadline), "and by e-mail within 30 s");
            Thread.sleep(500);
        }
    }
}
