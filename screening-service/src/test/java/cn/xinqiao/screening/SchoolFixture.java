package cn.xinqiao.screening;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** A school of a test's own: its roster imported, a campaign open for one grade, each student's access code by number. */
record SchoolFixture(String school, String campaign, Map<String, String> codes) {

    static SchoolFixture open(String school, String name, String counselorToken, String rosterCsv, int grade) {
        RosterImportTest.school(school, name);
        RosterImportTest.importAndWait(counselorToken, school, "text/csv", rosterCsv.getBytes(StandardCharsets.UTF_8));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String campaign = given().auth().oauth2(counselorToken).contentType("application/json")
                .body(Map.of("name", name + " " + UUID.randomUUID(), "instruments", List.of("PHQ-A"), "schoolIds", List.of(school),
                        "grades", List.of(grade), "opensAt", now.minusHours(1).toString(), "closesAt", now.plusDays(7).toString()))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        Map<String, String> codes = new HashMap<>();
        given().auth().oauth2(counselorToken).get("/api/campaigns/" + campaign + "/access-codes").then().statusCode(200)
                .extract().<List<Map<String, Object>>>path("$")
                .forEach(slip -> codes.put((String) slip.get("studentNumber"), (String) slip.get("accessCode")));
        return new SchoolFixture(school, campaign, codes);
    }
}
