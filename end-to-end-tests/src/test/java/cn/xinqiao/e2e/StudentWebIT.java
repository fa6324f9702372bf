package cn.xinqiao.e2e;

import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The student's page and its backend-for-frontend on the real stack, driven the way the page drives it:
 * the access code becomes an HttpOnly cookie (the token never reaches JavaScript), answers go through the
 * BFF to screening-service, a retry after a dropped connection is the same submission, and errors are
 * problem details the page can show.
 */
class StudentWebIT {

    @BeforeAll
    static void up() throws Exception {
        Stack.get();
    }

    @Test
    void aStudentAnswersThroughTheWebAppWithoutEverHoldingTheToken() throws Exception {
        String web = Stack.url("web");
        String page = given().get(web + "/student.html").then().statusCode(200).contentType(containsString("text/html"))
                .extract().asString();
        assertTrue(page.contains("访问码") && page.contains("class=\"hotline-number\""), "zh-CN first, with the hotline");
        // the city's own line, a deployment setting the page fills in (the national 12356 is only the written fallback)
        given().get(web + "/bff/student/help-lines").then().statusCode(200)
                .body("hotline", equalTo(cn.xinqiao.stack.DemoCity.HOTLINE)).body("emergency", org.hamcrest.Matchers.hasItems("110", "120"));
        assertTrue(page.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 30_000, "small enough for a 3G phone: " + page.length());
        // scripts only from the platform's own origin, and none inline that the policy would have to allow
        String policy = given().get(web + "/student.html").then().extract().header("Content-Security-Policy");
        assertTrue(policy != null && policy.contains("script-src 'self'") && !policy.contains("unsafe-eval")
                && !policy.replaceAll("style-src[^;]*", "").contains("unsafe-inline") && policy.contains("frame-ancestors 'none'"), String.valueOf(policy));
        assertTrue(!java.util.regex.Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(page).find(), "no inline script on the student page");
        given().get(web + "/student.js").then().statusCode(200).header("Content-Security-Policy", containsString("default-src 'self'"));

        String screening = Stack.url("screening-service");
        String counselor = Stack.token("counselor.jn1");
        String campaign = given().auth().oauth2(counselor).get(screening + "/api/campaigns").then().statusCode(200).extract().path("[0].id");
        List<Map<String, Object>> slips = given().auth().oauth2(counselor)
                .get(screening + "/api/campaigns/" + campaign + "/access-codes?grade=10&className=1班").then().statusCode(200).extract().path("$");
        String code = (String) slips.get(3).get("accessCode");
        String born = Stack.birthDate(counselor, "S370811001", (String) slips.get(3).get("studentNumber"));

        Response login = given().contentType("application/json").body(Map.of("accessCode", code.toLowerCase(), "birthDate", born))
                .post(web + "/bff/student/session");
        login.then().statusCode(201).body("$", not(hasKey("token"))).body("campaignId", equalTo(campaign));
        String setCookie = login.getHeader("Set-Cookie");
        assertNotNull(setCookie);
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/bff/student"),
                setCookie);
        String cookie = login.getCookie("xq_student");

        given().get(web + "/bff/student/instruments/PHQ-A").then().statusCode(200).body("items.size()", equalTo(9))
                .header("Cache-Control", containsString("max-age"));

        Map<String, Object> answers = Map.of("campaignId", campaign, "instrumentId", "PHQ-A", "answers", new int[9],
                "clientSubmissionId", UUID.randomUUID().toString());
        String id = given().cookie("xq_student", cookie).contentType("application/json").body(answers)
                .post(web + "/bff/student/submissions").then().statusCode(201)
                .body("hotline", equalTo(cn.xinqiao.stack.DemoCity.HOTLINE)).body("$", not(hasKey("riskLevel"))).body("$", not(hasKey("totalScore")))
                .extract().path("submissionId");
        // the connection dropped before the page saw the receipt: the same answers again are the same submission
        given().cookie("xq_student", cookie).contentType("application/json").body(answers)
                .post(web + "/bff/student/submissions").then().statusCode(200).body("submissionId", equalTo(id));

        given().contentType("application/json").body(answers).post(web + "/bff/student/submissions")
                .then().statusCode(401).contentType("application/problem+json");
        Response bad = given().contentType("application/json").body(Map.of("accessCode", "ZZZZ-ZZZZ", "birthDate", born))
                .post(web + "/bff/student/session");
        bad.then().statusCode(401).contentType("application/problem+json").body("detail", containsString("访问码或出生日期不正确"));
        assertNull(bad.getCookie("xq_student"), "no cookie for a wrong code");
        assertEquals(204, given().post(web + "/bff/student/logout").statusCode());
    }
}
