package cn.xinqiao.reporting;

import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** directory.schools.v1 over real Kafka into the enrolment read model. */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class EnrolmentFromDirectoryTest {

    static final String TYPE = "cn.xinqiao.directory.school.v1";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EntityManager em;

    static String school(String id, int girls7, int boys7, String at) {
        return """
                {"schoolId":"%s","name":"学校%s","districtCode":"%s","cityCode":"370800",
                 "enrolment":[{"grade":7,"sex":"FEMALE","count":%d},{"grade":7,"sex":"MALE","count":%d}],
                 "total":%d,"updatedAt":"%s"}""".formatted(id, id, id.substring(1, 7), girls7, boys7, girls7 + boys7, at);
    }

    @Test
    void directoryEventsBuildEnrolmentOnceAndLateSnapshotsAreIgnored() {
        KafkaProbe kafka = new KafkaProbe(bootstrap);
        UUID first = UUID.randomUUID();
        kafka.sendCloudEvent("directory.schools.v1", "S370811201", first, TYPE, school("S370811201", 40, 38, "2026-09-01T08:00:00Z"));
        kafka.sendCloudEvent("directory.schools.v1", "S370812201", UUID.randomUUID(), TYPE, school("S370812201", 10, 12, "2026-09-01T08:00:00Z"));
        // the same event again (a redelivery) and an older snapshot arriving late
        kafka.sendCloudEvent("directory.schools.v1", "S370811201", first, TYPE, school("S370811201", 40, 38, "2026-09-01T08:00:00Z"));
        kafka.sendCloudEvent("directory.schools.v1", "S370811201", UUID.randomUUID(), TYPE, school("S370811201", 1, 1, "2026-08-01T08:00:00Z"));
        UUID marker = UUID.randomUUID();
        kafka.sendCloudEvent("directory.schools.v1", "S370811202", marker, TYPE, school("S370811202", 5, 5, "2026-09-01T08:00:00Z"));

        await(() -> processed(marker));
        String analyst = TestTokens.analyst("370800");
        given().auth().oauth2(analyst).get("/api/reports/enrolment?level=city&code=370800")
                .then().statusCode(200).body("total", equalTo(78 + 22 + 10))
                .body("rows.findAll { it.code == '370811' }.students.sum()", equalTo(88));
        given().auth().oauth2(analyst).get("/api/reports/enrolment?level=county&code=370811")
                .then().body("rows.findAll { it.code == 'S370811201' && it.sex == 'FEMALE' }[0].students", equalTo(40));
        assertEquals(1L, em.createNativeQuery("select count(*) from inbox where event_id = ?1")
                .setParameter(1, first).getSingleResult());
    }

    @Test
    void aCountyAnalystCannotReadAnotherCounty() {
        given().auth().oauth2(TestTokens.analyst("370812")).get("/api/reports/enrolment?level=county&code=370811")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.analyst("370812")).get("/api/reports/enrolment?level=school&code=S370811201")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.analyst("370812")).get("/api/reports/enrolment?level=province&code=370000")
                .then().statusCode(400);
    }

    @Test
    void malformedDirectoryEventGoesToTheDeadLetterTopicWithItsReason() {
        UUID bad = UUID.randomUUID();
        new KafkaProbe(bootstrap).sendCloudEvent("directory.schools.v1", "S370811299", bad, TYPE,
                "{\"schoolId\":\"not-a-school\",\"total\":-1}");
        List<ConsumerRecord<String, String>> dead = new KafkaProbe(bootstrap).readUntil(
                "reporting-service.directory.schools.v1.dlq", Duration.ofSeconds(30),
                r -> r.stream().anyMatch(x -> bad.toString().equals(KafkaProbe.header(x, "ce_id"))));
        ConsumerRecord<String, String> record = dead.stream()
                .filter(x -> bad.toString().equals(KafkaProbe.header(x, "ce_id"))).findFirst().orElseThrow();
        assertTrue(KafkaProbe.header(record, "dead-letter-reason") != null, "the reason travels with the record");
        given().auth().oauth2(TestTokens.analyst("370800")).get("/api/reports/enrolment?level=school&code=S370811299")
                .then().body("total", equalTo(0));
    }

    /** Health is on the management interface; the API port has no /q. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true) // the management root is /q
    java.net.URL ready;

    @Test
    void readinessChecksDatabaseAndKafka() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get(ready).then().statusCode(200).body("status", equalTo("UP"));
    }

    private boolean processed(UUID eventId) {
        return ((Number) em.createNativeQuery("select count(*) from inbox where event_id = ?1")
                .setParameter(1, eventId).getSingleResult()).intValue() == 1;
    }

    private static void await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met in 30 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
