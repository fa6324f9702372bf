package cn.xinqiao.hotline;

import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class HotlineServiceTest {

    @Test
    void operatorsGetTheTwoLevelTaxonomyInChineseAndEnglish() {
        given().auth().oauth2(TestTokens.as("op-1", "hotline-operator").token()).get("/api/taxonomy")
                .then().statusCode(200)
                .body("categories.id", hasItems("mental-health", "family", "peers", "violence"))
                .body("categories.find { it.id == 'mental-health' }.children.id", hasItems("suicidal-thoughts", "self-harm"))
                .body("categories.find { it.id == 'mental-health' }.zh", equalTo("心理健康"));
    }

    @Test
    void theTokenDecidesWhoYouAre() {
        given().get("/api/taxonomy").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.counselor("S370811001", "370811")).get("/api/taxonomy").then().statusCode(403);
        given().auth().oauth2(TestTokens.as("op-1", "hotline-operator").expired().token()).get("/api/taxonomy").then().statusCode(401);
        given().auth().oauth2(TestTokens.as("op-1", "hotline-operator").audience("someone-else").token()).get("/api/taxonomy").then().statusCode(401);
        given().auth().oauth2(TestTokens.counselor("S370811001", "370811")).get("/api/me")
                .then().statusCode(200).body("schoolId", equalTo("S370811001")).body("roles", hasItem("school-counselor"));
    }

    /** Health is on the management interface; the API port has no /q. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true) // the management root is /q
    java.net.URL ready;

    @Test
    void readinessChecksDatabaseAndKafka() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get(ready).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check", "Kafka connection health check"));
    }
}
