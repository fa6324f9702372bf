package cn.xinqiao.screening;

import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The schools directory: created, renamed, closed (no new campaign, no roster import) and opened again. */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class SchoolDirectoryTest {

    static final String SCHOOL = "S370812311";
    static final String ADMIN = TestTokens.as("admin", "platform-admin").district("370800").token();
    static final String BUREAU = TestTokens.analyst("370812");

    static Map<String, Object> school(String name, LocalDate closedOn) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "districtCode", "370812", "stage", "JUNIOR"));
        body.put("closedOn", closedOn == null ? null : closedOn.toString());
        return body;
    }

    int campaign(String token) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return given().auth().oauth2(token).contentType("application/json").body(Map.of("name", "目录测试", "instruments", List.of("PHQ-A"),
                "schoolIds", List.of(SCHOOL), "grades", List.of(8), "opensAt", now.toString(), "closesAt", now.plusDays(3).toString()))
                .post("/api/campaigns").then().extract().statusCode();
    }

    @jakarta.inject.Inject
    jakarta.persistence.EntityManager em;

    @Test
    void aClosedSchoolTakesNoNewCampaignOrRoster() throws Exception {
        given().auth().oauth2(ADMIN).contentType("application/json").body(school("目录测试初中", null)).put("/api/schools/" + SCHOOL)
                .then().statusCode(200).body("closedOn", org.hamcrest.Matchers.nullValue());
        given().auth().oauth2(BUREAU).contentType("application/json").body(school("目录测试初级中学", null)).put("/api/schools/" + SCHOOL)
                .then().statusCode(200).body("name", equalTo("目录测试初级中学"));
        given().auth().oauth2(TestTokens.analyst("370811")).contentType("application/json").body(school("别的区改名", null))
                .put("/api/schools/" + SCHOOL).then().statusCode(403);

        LocalDate today = LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
        given().auth().oauth2(BUREAU).contentType("application/json").body(school("目录测试初级中学", today)).put("/api/schools/" + SCHOOL)
                .then().statusCode(200).body("closedOn", equalTo(today.toString()));
        given().auth().oauth2(BUREAU).get("/api/schools").then().statusCode(200)
                .body("find { it.id == '" + SCHOOL + "' }.closedOn", equalTo(today.toString()));
        // the directory says so on its topic, in the contract's words: reports leave the school out after that day
        String event = (String) em.createNativeQuery("select cast(payload as text) from outbox where topic = 'directory.schools.v1'"
                + " and msg_key = ?1 order by seq desc limit 1").setParameter(1, SCHOOL).getSingleResult();
        org.junit.jupiter.api.Assertions.assertTrue(event.contains("\"closedOn\": \"" + today + "\""), event);
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), cn.xinqiao.contracts.ContractValidator.load()
                .validateData("directory.schools.v1", new com.fasterxml.jackson.databind.ObjectMapper().readTree(event)));
        given().auth().oauth2(BUREAU).contentType("application/json").body(Map.of("name", "目录测试", "instruments", List.of("PHQ-A"),
                        "schoolIds", List.of(SCHOOL), "grades", List.of(8), "opensAt", OffsetDateTime.now(ZoneOffset.UTC).toString(),
                        "closesAt", OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).toString()))
                .post("/api/campaigns").then().statusCode(400).body("errors.field", hasItem("schoolIds"));
        given().auth().oauth2(TestTokens.counselor(SCHOOL, "370812")).contentType("text/csv")
                .body("学号,姓名,性别,出生日期,年级,班级\nD-1,目录学生,女,2012-01-01,8,1班\n".getBytes(StandardCharsets.UTF_8))
                .post("/api/schools/" + SCHOOL + "/roster-imports").then().statusCode(409);
        given().auth().oauth2(BUREAU).contentType("application/json").body(school("目录测试初级中学", today.plusDays(2))).put("/api/schools/" + SCHOOL)
                .then().statusCode(400);

        given().auth().oauth2(BUREAU).contentType("application/json").body(school("目录测试初级中学", null)).put("/api/schools/" + SCHOOL)
                .then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertEquals(201, campaign(BUREAU), "open again, it takes a campaign");
    }
}
