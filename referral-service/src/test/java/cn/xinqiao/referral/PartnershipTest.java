package cn.xinqiao.referral;

import cn.xinqiao.referral.domain.Route;
import cn.xinqiao.referral.partnership.PartnershipService;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class PartnershipTest {

    static final String ADMIN = TestTokens.as("admin-1", "platform-admin").token();

    @Inject
    PartnershipService partnerships;

    static void hospital(String id, String name) {
        given().auth().oauth2(ADMIN).contentType("application/json")
                .body(Map.of("name", name, "districtCode", "370800", "greenChannelPhone", "0537-1234567"))
                .put("/api/hospitals/" + id).then().statusCode(200);
    }

    @Test
    void schoolPartnershipOverridesTheCountyDefaultAndNoRouteMeansEscalation() {
        hospital("H370800101", "测试精神卫生中心");
        hospital("H370800102", "测试附属医院");
        String cityAnalyst = TestTokens.analyst("370800");
        given().auth().oauth2(cityAnalyst).contentType("application/json")
                .body(Map.of("hospitalId", "H370800101", "backupHospitalId", "H370800102"))
                .put("/api/partnerships/county/370881").then().statusCode(200).body("hospitalId", equalTo("H370800101"));
        given().auth().oauth2(cityAnalyst).contentType("application/json")
                .body(Map.of("hospitalId", "H370800102"))
                .put("/api/partnerships/school/S370881001").then().statusCode(200);

        assertEquals(Optional.of(new Route("H370800102", null, Route.Source.SCHOOL)), partnerships.routeFor("S370881001", "370881"));
        assertEquals(Optional.of(new Route("H370800101", "H370800102", Route.Source.COUNTY)), partnerships.routeFor("S370881002", "370881"));
        assertTrue(partnerships.routeFor("S370882001", "370882").isEmpty());
    }

    @Test
    void analystsChangeOnlyTheirOwnAreaAndEveryChangeIsAudited() {
        hospital("H370800103", "测试第三医院");
        given().auth().oauth2(TestTokens.analyst("370812")).contentType("application/json")
                .body(Map.of("hospitalId", "H370800103"))
                .put("/api/partnerships/county/370811").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.counselor("S370811001", "370811")).contentType("application/json")
                .body(Map.of("hospitalId", "H370800103"))
                .put("/api/partnerships/school/S370811001").then().statusCode(403);
        given().auth().oauth2(TestTokens.analyst("370811")).contentType("application/json")
                .body(Map.of("hospitalId", "H370800103"))
                .put("/api/partnerships/school/S370811009").then().statusCode(200);
        given().auth().oauth2(TestTokens.as("auditor-1", "auditor").token())
                .get("/api/audit?resource=school-partnership&resourceId=S370811009").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].purpose", equalTo("partner H370800103"));
    }

    @Test
    void unknownHospitalOrSameBackupIsRefusedAndChangesNothing() {
        hospital("H370800104", "测试第四医院");
        given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("hospitalId", "H370899999"))
                .put("/api/partnerships/county/370883").then().statusCode(422)
                .body("type", equalTo("https://xinqiao.cn/problems/unknown-hospital"));
        given().auth().oauth2(ADMIN).contentType("application/json")
                .body(Map.of("hospitalId", "H370800104", "backupHospitalId", "H370800104"))
                .put("/api/partnerships/county/370883").then().statusCode(422);
        given().auth().oauth2(ADMIN).contentType("application/json").body(Map.of("hospitalId", "bad"))
                .put("/api/partnerships/county/370883").then().statusCode(400)
                .contentType("application/problem+json");
        assertTrue(partnerships.find("370883").isEmpty());
    }

    @Test
    void aHospitalIsPublishedToTheDirectoryWithoutItsPhone() throws Exception {
        hospital("H370800177", "测试心理医院");
        var kafka = new cn.xinqiao.testing.KafkaProbe(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("kafka.bootstrap.servers", String.class));
        var record = kafka.readUntil("directory.hospitals.v1", java.time.Duration.ofSeconds(30),
                        r -> r.stream().anyMatch(x -> "H370800177".equals(x.key())))
                .stream().filter(x -> "H370800177".equals(x.key())).findFirst().orElseThrow();
        cn.xinqiao.contracts.ContractValidator.load().assertConforms("directory.hospitals.v1",
                cn.xinqiao.testing.KafkaProbe.headers(record), record.value());
        assertTrue(record.value().contains("测试心理医院") && !record.value().contains("0537"), record.value());
    }

    /** Health is on the management interface; the API port has no /q. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true) // the management root is /q
    java.net.URL ready;

    @Test
    void readinessChecksDatabaseAndKafka() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get(ready).then().statusCode(200).body("status", equalTo("UP"));
    }
}
