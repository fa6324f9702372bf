package cn.xinqiao.e2e;

import io.restassured.http.Cookie;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Staff sign-in through the real Keycloak login form (authorization-code flow with PKCE), step by step as a
 * browser does it: the session is an HttpOnly cookie, no token ever reaches the page, the BFF forwards to the
 * services with the user's own token (so their tenancy rules apply), and a change without the page's marker
 * header is refused.
 */
class StaffWebIT {

    @BeforeAll
    static void up() throws Exception {
        Stack.get();
    }

    @Test
    void anAnalystSignsInWithKeycloakAndReadsReportsThroughTheBff() throws Exception {
        String web = Stack.url("web");
        Map<String, String> webCookies = new HashMap<>();
        Map<String, String> kcCookies = new HashMap<>();

        Response start = given().redirects().follow(false).get(web + "/staff/");
        assertEquals(302, start.statusCode());
        keep(start, webCookies);
        String authorize = start.getHeader("Location");
        assertTrue(authorize.contains("/realms/xinqiao/protocol/openid-connect/auth") && authorize.contains("code_challenge"),
                "code flow with PKCE: " + authorize);

        Response loginPage = given().urlEncodingEnabled(false).redirects().follow(false).get(authorize); // URLs as the server wrote them
        assertEquals(200, loginPage.statusCode(), authorize + " -> " + loginPage.asString().replaceAll("\\s+", " ").substring(0, Math.min(600, loginPage.asString().replaceAll("\\s+", " ").length())));
        keep(loginPage, kcCookies);
        Matcher action = Pattern.compile("id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"").matcher(loginPage.asString());
        assertTrue(action.find(), "Keycloak's login form");
        Response login = given().urlEncodingEnabled(false).redirects().follow(false).cookies(kcCookies).contentType("application/x-www-form-urlencoded")
                .formParam("username", "analyst.city").formParam("password", "xinqiao").post(action.group(1).replace("&amp;", "&"));
        assertEquals(302, login.statusCode(), "Keycloak accepts the password and sends the browser back");

        Response callback = given().urlEncodingEnabled(false).redirects().follow(false).cookies(webCookies).get(login.getHeader("Location"));
        keep(callback, webCookies);
        List<Cookie> session = callback.getDetailedCookies().asList().stream().filter(c -> c.getName().startsWith("q_session")).toList();
        assertFalse(session.isEmpty(), "a session cookie after the code exchange");
        session.forEach(c -> assertTrue(c.isHttpOnly(), c.getName() + " is HttpOnly"));

        given().cookies(webCookies).get(web + "/staff/").then().statusCode(200).body(containsString("工作台"));
        given().cookies(webCookies).get(web + "/bff/me").then().statusCode(200)
                .body("username", equalTo("analyst.city")).body("districtCode", equalTo("370800"))
                .body("roles", hasItem("bureau-analyst")).body(not(containsString("eyJ")));
        given().cookies(webCookies).get(web + "/bff/api/reporting/reports/screening/campaigns?level=city&code=370800")
                .then().statusCode(200).body("size()", org.hamcrest.Matchers.greaterThan(0));
        // the services still decide: a city analyst may not read another city
        given().cookies(webCookies).get(web + "/bff/api/reporting/reports/referrals?level=city&code=371000")
                .then().statusCode(403).contentType(containsString("problem+json"));
        given().cookies(webCookies).contentType("application/json").body("{}")
                .post(web + "/bff/api/reporting/activities").then().statusCode(403).body("title", equalTo("csrf"));
        given().header("X-Requested-With", "JavaScript").get(web + "/bff/me").then().statusCode(499);
    }

    private static void keep(Response response, Map<String, String> jar) {
        response.getDetailedCookies().asList().forEach(c -> jar.put(c.getName(), c.getValue()));
    }
}
