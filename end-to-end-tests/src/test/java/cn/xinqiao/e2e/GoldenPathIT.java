package cn.xinqiao.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ARCHITECTURE §3 as far as the services exist: a student of the demo city logs in with the access code the
 * counsellor printed, answers PHQ-A with item 9 = 2, sees only a receipt, and the counsellor finds the student
 * at the top of the risk queue with the referral requested.
 */
class GoldenPathIT {

    @BeforeAll
    static void up() throws Exception {
        Stack.get();
    }

    @Test
    void criticalAnswerReachesTheCounsellorsRiskQueue() throws Exception {
        String screening = Stack.url("screening-service");
        String counselor = Stack.token("counselor.jn1");
        String campaign = given().auth().oauth2(counselor).get(screening + "/api/campaigns").then().statusCode(200)
                .extract().path("[0].id");
        List<Map<String, Object>> slips = given().auth().oauth2(counselor)
                .get(screening + "/api/campaigns/" + campaign + "/access-codes?grade=10&className=1班")
                .then().statusCode(200).extract().path("$");
        assertEquals(20, slips.size());
        Map<String, Object> student = slips.get(7);

        String token = given().contentType("application/json").body(Map.of("accessCode", student.get("accessCode")))
                .post(screening + "/api/student-sessions").then().statusCode(201).extract().path("token");
        given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("campaignId", campaign, "instrumentId", "PHQ-A", "answers", new int[]{0, 1, 0, 0, 1, 0, 0, 0, 2},
                        "clientSubmissionId", UUID.randomUUID().toString()))
                .post(screening + "/api/submissions").then().statusCode(201)
                .body("hotline", equalTo("12356")).body("$", not(hasKey("riskLevel")));

        Instant deadline = Instant.now().plusSeconds(30);
        List<Map<String, Object>> queue = List.of();
        while (Instant.now().isBefore(deadline)) {
            queue = given().auth().oauth2(counselor).get(screening + "/api/schools/S370811001/risk-queue").then().statusCode(200).extract().path("$");
            if (!queue.isEmpty()) {
                break;
            }
            Thread.sleep(300);
        }
        Map<String, Object> top = queue.get(0);
        assertEquals(student.get("studentNumber"), top.get("studentNumber"));
        assertEquals("CRITICAL", top.get("riskLevel"));
        assertEquals("REFERRED", top.get("status"));
        // a counsellor of another school sees none of it
        given().auth().oauth2(Stack.token("counselor.yz1")).get(screening + "/api/schools/S370811001/risk-queue")
                .then().statusCode(404);
        given().auth().oauth2(Stack.token("counselor.yz1")).get(screening + "/api/schools/S370812001/risk-queue")
                .then().statusCode(200).body("size()", equalTo(0));
    }
}
