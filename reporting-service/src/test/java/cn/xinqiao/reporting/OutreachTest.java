package cn.xinqiao.reporting;

import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static cn.xinqiao.reporting.ReportingFlowTest.cell;
import static cn.xinqiao.reporting.ReportingFlowTest.table;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hospital outreach: publications per quarter against one a quarter, over last year (every quarter past), by hand. */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class OutreachTest {

    static final String CITY = "371300";
    static final String ACTIVE = "H371300001";
    static final String SILENT = "H371300002";
    static final int YEAR = LocalDate.now(ZoneId.of("Asia/Shanghai")).getYear() - 1;
    static final String CLINICIAN = TestTokens.clinician(ACTIVE);
    static final String ANALYST = TestTokens.analyst(CITY);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EntityManager em;

    void publish(String title, LocalDate on, String channel) {
        Map<String, Object> body = new HashMap<>(Map.of("kind", "PUBLICATION", "channel", channel, "title", title, "publishedOn", on.toString()));
        body.put("link", "https://mp.weixin.qq.com/s/" + UUID.randomUUID());
        given().auth().oauth2(CLINICIAN).contentType("application/json").body(body).post("/api/hospitals/" + ACTIVE + "/outreach")
                .then().statusCode(201).body("hospitalId", equalTo(ACTIVE));
    }

    @Test
    void quartersWithoutAPublicationAreOverdueAndRankFirst() {
        KafkaProbe kafka = new KafkaProbe(bootstrap);
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID());
        kafka.sendCloudEvent("directory.hospitals.v1", ACTIVE, ids.get(0), "cn.xinqiao.directory.hospital.v1", """
                {"hospitalId":"%s","name":"宣传测试医院","districtCode":"371302","updatedAt":"2026-09-01T00:00:00Z"}""".formatted(ACTIVE));
        kafka.sendCloudEvent("directory.hospitals.v1", SILENT, ids.get(1), "cn.xinqiao.directory.hospital.v1", """
                {"hospitalId":"%s","name":"未宣传测试医院","districtCode":"371300","updatedAt":"2026-09-01T00:00:00Z"}""".formatted(SILENT));
        ReportingFlowTest.awaitProcessed(em, ids, "the hospitals are in the directory");

        // Q1 one, Q2 none, Q3 two, Q4 one; and a school visit (not a publication)
        publish("青春期情绪管理", LocalDate.of(YEAR, 2, 10), "WECHAT");
        publish("考前焦虑怎么办", LocalDate.of(YEAR, 8, 1), "WEBSITE");
        publish("识别抑郁的信号", LocalDate.of(YEAR, 9, 30), "VIDEO");
        publish("寒假亲子沟通", LocalDate.of(YEAR, 12, 31), "WECHAT");
        given().auth().oauth2(CLINICIAN).contentType("application/json").body(Map.of("kind", "SCHOOL_VISIT", "channel", "CLASSROOM",
                        "title", "专家进课堂：压力与睡眠", "publishedOn", LocalDate.of(YEAR, 5, 20).toString(), "schoolId", "S371302001"))
                .post("/api/hospitals/" + ACTIVE + "/outreach").then().statusCode(201);

        JsonNode report = ReportingFlowTest.read(given().auth().oauth2(ANALYST)
                .get("/api/reports/outreach?level=city&code=" + CITY + "&year=" + YEAR).then().statusCode(200).extract().asString());
        JsonNode hospitals = table(report, "hospitals");
        assertEquals(SILENT, hospitals.path("rows").get(0).path("code").asText(), "four overdue quarters come first");
        assertEquals(4, cell(hospitals, SILENT, "overdue").path("value").asInt());
        assertEquals(List.of(1, 0, 2, 1), List.of(cell(hospitals, ACTIVE, "q1").path("value").asInt(), cell(hospitals, ACTIVE, "q2").path("value").asInt(),
                cell(hospitals, ACTIVE, "q3").path("value").asInt(), cell(hospitals, ACTIVE, "q4").path("value").asInt()));
        assertEquals(3, cell(hospitals, ACTIVE, "met").path("value").asInt());
        assertEquals(1, cell(hospitals, ACTIVE, "overdue").path("value").asInt());
        assertEquals(1, cell(hospitals, ACTIVE, "visits").path("value").asInt());

        given().auth().oauth2(ANALYST).get("/api/hospitals/" + ACTIVE + "/outreach?year=" + YEAR).then().statusCode(200)
                .body("size()", equalTo(5)).body("title", hasItem("识别抑郁的信号"));
        // tenancy and bad input
        given().auth().oauth2(TestTokens.clinician(SILENT)).contentType("application/json").body(Map.of("kind", "PUBLICATION",
                "channel", "WECHAT", "title", "x", "publishedOn", LocalDate.of(YEAR, 3, 1).toString())).post("/api/hospitals/" + ACTIVE + "/outreach")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.analyst("370800")).get("/api/hospitals/" + ACTIVE + "/outreach").then().statusCode(403);
        given().auth().oauth2(CLINICIAN).contentType("application/json").body(Map.of("kind", "PUBLICATION", "channel", "WECHAT",
                        "title", "链接不对", "publishedOn", LocalDate.of(YEAR, 3, 1).toString(), "link", "javascript:alert(1)"))
                .post("/api/hospitals/" + ACTIVE + "/outreach").then().statusCode(400).body("errors.field", hasItem("link"));
        given().auth().oauth2(CLINICIAN).contentType("application/json").body(Map.of("kind", "PUBLICATION", "channel", "WECHAT",
                        "title", "明年的", "publishedOn", LocalDate.now().plusYears(1).toString()))
                .post("/api/hospitals/" + ACTIVE + "/outreach").then().statusCode(400).body("errors.field", hasItem("publishedOn"));
        given().auth().oauth2(ANALYST).get("/api/reports/outreach?level=school&code=S371302001").then().statusCode(400);
        assertEquals(5L, ((Number) em.createNativeQuery("select count(*) from outreach_item where hospital_id = ?1")
                .setParameter(1, ACTIVE).getSingleResult()).longValue(), "refused records stored nothing");
    }
}
