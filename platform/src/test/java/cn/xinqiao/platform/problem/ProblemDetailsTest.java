package cn.xinqiao.platform.problem;

import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every failure is RFC 9457 problem+json, with fields named and nothing personal echoed. */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class ProblemDetailsTest {

    private static final String COUNSELOR = TestTokens.counselor("S370811001", "370811");

    @Test
    void validationErrorsListTheFields() {
        given().auth().oauth2(COUNSELOR).contentType(ContentType.JSON)
                .body("{\"text\":\"\",\"scores\":[]}")
                .post("/test/notes")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("type", equalTo("https://xinqiao.cn/problems/validation"))
                .body("errors.field", hasItem("text"))
                .body("errors.field", hasItem("scores"));
    }

    @Test
    void malformedJsonIsABadRequestThatDoesNotEchoTheBody() {
        given().auth().oauth2(COUNSELOR).contentType(ContentType.JSON)
                .body("{\"text\": \"王小明 13912345678\", ")
                .post("/test/notes")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://xinqiao.cn/problems/malformed-json"))
                .body(not(containsString("13912345678")));
    }

    @Test
    void unknownFieldsAndWrongTypesAreRefused() {
        given().auth().oauth2(COUNSELOR).contentType(ContentType.JSON)
                .body("{\"text\":\"a\",\"scores\":[1],\"admin\":true}")
                .post("/test/notes")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("admin"));
        given().auth().oauth2(COUNSELOR).contentType(ContentType.JSON)
                .body("{\"text\":\"a\",\"scores\":[\"many\"]}")
                .post("/test/notes")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("scores[0]"));
    }

    @Test
    void missingExpiredOrForeignTokensAre401Problems() {
        given().get("/test/notes/schools/S370811001")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"));
        String expired = TestTokens.as("c1", "school-counselor").school("S370811001").expired().token();
        given().auth().oauth2(expired).get("/test/notes/schools/S370811001").then().statusCode(401);
        String otherAudience = TestTokens.as("c1", "school-counselor").school("S370811001").audience("another-api").token();
        given().auth().oauth2(otherAudience).get("/test/notes/schools/S370811001").then().statusCode(401);
        String otherIssuer = TestTokens.as("c1", "school-counselor").school("S370811001").issuer("https://evil.example/realms/x").token();
        given().auth().oauth2(otherIssuer).get("/test/notes/schools/S370811001").then().statusCode(401);
    }

    @Test
    void tenancyComesFromTheTokenAndIsEnforcedOnTheServer() {
        given().auth().oauth2(COUNSELOR).get("/test/notes/schools/S370811001")
                .then().statusCode(200).body("schoolId", equalTo("S370811001"));
        given().auth().oauth2(COUNSELOR).get("/test/notes/schools/S370812001")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://xinqiao.cn/problems/forbidden"));
        given().auth().oauth2(TestTokens.clinician("H370800001")).get("/test/notes/schools/S370811001")
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void domainConflictsAndUnexpectedFailuresAreProblemsWithoutInternals() {
        given().auth().oauth2(COUNSELOR).get("/test/notes/conflict")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://xinqiao.cn/problems/already-closed"))
                .body("detail", equalTo("the record is closed"));
        given().auth().oauth2(COUNSELOR).get("/test/notes/boom")
                .then().statusCode(500).contentType("application/problem+json")
                .body("title", equalTo("系统内部错误"))
                .body("detail", containsString("事件编号"))
                .body(not(containsString("13800000000")));
        given().auth().oauth2(COUNSELOR).header("Accept-Language", "en").get("/test/notes/boom")
                .then().statusCode(500).contentType("application/problem+json")
                .body("title", equalTo("Internal error"))
                .body("detail", containsString("incident"))
                .body(not(containsString("13800000000")))
                .body(not(containsString("IllegalStateException")));
        given().auth().oauth2(COUNSELOR).get("/no/such/path")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void oversizedBodiesAreRefusedBeforeTheyAreRead() throws Exception {
        // A raw socket: announce 5 MB and send none of it. The answer must come without the body being read.
        try (java.net.Socket socket = new java.net.Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            String head = "POST /test/notes HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + COUNSELOR
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (5 * 1024 * 1024) + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder response = new StringBuilder();
            byte[] buffer = new byte[4096];
            int n;
            while (!response.toString().endsWith("}") && (n = socket.getInputStream().read(buffer)) > 0) {
                response.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8));
            }
            assertTrue(response.toString().startsWith("HTTP/1.1 413"), response.toString());
            assertTrue(response.toString().toLowerCase().contains("content-type: application/problem+json"), response.toString());
            assertTrue(response.toString().contains("body-too-large"), response.toString());
        }
    }

    @Test
    void anEndpointNobodyAnnotatedIsRefusedToEveryone() {
        given().get("/test/notes/forgotten").then().statusCode(401);
        given().auth().oauth2(COUNSELOR).get("/test/notes/forgotten").then().statusCode(403);
        given().auth().oauth2(TestTokens.as("admin-1", "platform-admin").token()).get("/test/notes/forgotten").then().statusCode(403);
    }

    @Test
    void aJsonBodyOfUndeclaredLengthIsRefusedBeforeItIsRead() throws Exception {
        byte[] body = "{\"text\":\"chunked\",\"scores\":[1]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // HTTP/1.1 chunked, and HTTP/2 (h2c) where a body has no declared length either
        for (java.net.http.HttpClient.Version version : java.net.http.HttpClient.Version.values()) {
            java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newBuilder().version(version).build().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + RestAssured.port + "/test/notes"))
                            .header("Authorization", "Bearer " + COUNSELOR).header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertTrue(answer.statusCode() == 411 && answer.body().contains("length-required"), version + ": " + answer.statusCode() + " " + answer.body());
        }
        given().auth().oauth2(COUNSELOR).contentType(ContentType.JSON).body(body).post("/test/notes").then().statusCode(200);
    }
}
