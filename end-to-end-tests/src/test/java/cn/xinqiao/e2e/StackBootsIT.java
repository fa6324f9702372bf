package cn.xinqiao.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Foundation: the whole stack boots healthy, Keycloak's tokens are accepted, and events cross Kafka between services. */
class StackBootsIT {

    static final List<String> APPS = List.of("screening-service", "referral-service", "hotline-service", "reporting-service",
            "notification-service", "web");

    @BeforeAll
    static void up() throws Exception {
        Stack.get();
    }

    @Test
    void everyServiceIsReadyWithDatabaseAndKafka() throws Exception {
        for (String app : APPS) {
            String management = Stack.get().app(app).managementUrl();
            given().get(management + "/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            // health, metrics and the API description are the management interface's, never on the port clients reach
            for (String q : List.of("/q/health/ready", "/q/metrics", "/q/openapi", "/q/swagger-ui/")) {
                given().redirects().follow(false).get(Stack.url(app) + q).then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(404), equalTo(401), equalTo(403)));
            }
        }
        given().get(Stack.get().app("screening-service").managementUrl() + "/q/health/ready")
                .then().body("checks.name", hasItem("Kafka connection health check"));
        given().get(Stack.get().app("screening-service").managementUrl() + "/q/metrics").then().statusCode(200);
    }

    @Test
    void keycloakTokensCarryRolesAndTenancyIntoEveryService() throws Exception {
        String counselor = Stack.token("counselor.jn1");
        for (String app : List.of("screening-service", "referral-service", "hotline-service", "reporting-service")) {
            given().auth().oauth2(counselor).get(Stack.url(app) + "/api/me").then().statusCode(200)
                    .body("roles", hasItem("school-counselor")).body("schoolId", equalTo("S370811001"))
                    .body("districtCode", equalTo("370811"));
        }
        given().auth().oauth2(Stack.token("clinician.h1")).get(Stack.url("referral-service") + "/api/me")
                .then().body("hospitalId", equalTo("H370800001"));
        given().get(Stack.url("screening-service") + "/api/me").then().statusCode(401);
        given().auth().oauth2(counselor + "x").get(Stack.url("screening-service") + "/api/me").then().statusCode(401);
    }

    @Test
    void tenancyComesFromTheTokenOnTheServer() throws Exception {
        String screening = Stack.url("screening-service");
        given().auth().oauth2(Stack.token("counselor.jn1")).get(screening + "/api/schools/S370811001/students")
                .then().statusCode(200).body("$", hasSize(120));
        given().auth().oauth2(Stack.token("counselor.jn1")).get(screening + "/api/schools/S370812001/students")
                .then().statusCode(404);
        given().auth().oauth2(Stack.token("analyst.rc")).get(Stack.url("reporting-service") + "/api/reports/enrolment?level=county&code=370812")
                .then().statusCode(403);
    }

    @Test
    void rosterEnrolmentCrossesKafkaFromScreeningToReporting() throws Exception {
        // screening publishes directory.schools.v1 through its outbox; reporting builds enrolment from it. The rosters
        // are the demo city's (120 + 90 + 75 + 75 students) plus whatever other tests of this stack enrolled since.
        Map<String, String> counsellors = Map.of("S370811001", "counselor.jn1", "S370811002", "counselor.rc2",
                "S370812001", "counselor.yz1", "S370812002", "counselor.yz2");
        Map<String, Integer> rosters = new java.util.HashMap<>();
        for (Map.Entry<String, String> c : counsellors.entrySet()) {
            rosters.put(c.getKey(), given().auth().oauth2(Stack.token(c.getValue()))
                    .get(Stack.url("screening-service") + "/api/schools/" + c.getKey() + "/students").then().statusCode(200)
                    .extract().<List<Object>>path("$").size());
        }
        int city = rosters.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(city >= 120 + 90 + 75 + 75, "the demo city's rosters: " + rosters);
        String reporting = Stack.url("reporting-service") + "/api/reports/enrolment?level=city&code=370800";
        Instant deadline = Instant.now().plusSeconds(60);
        int total = -1;
        while (Instant.now().isBefore(deadline)) {
            total = given().auth().oauth2(Stack.token("analyst.city")).get(reporting).then().statusCode(200)
                    .extract().path("total");
            if (total == city) {
                break;
            }
            Thread.sleep(500);
        }
        assertEquals(city, total, "reporting's enrolment is screening's rosters");
        given().auth().oauth2(Stack.token("analyst.city")).get(reporting)
                .then().body("rows.findAll { it.code == '370812' }.students.sum()", equalTo(rosters.get("S370812001") + rosters.get("S370812002")));
    }
}
