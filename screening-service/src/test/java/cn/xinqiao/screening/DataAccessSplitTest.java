package cn.xinqiao.screening;

import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

/**
 * Technical administration is not data access: the platform admin runs the directory and the programme (schools,
 * campaigns and their progress counts) but reads no roster, slip, answer or risk queue; the roster-sync service
 * account loads rosters and prints slips for schools of its area, and reads nothing else.
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class DataAccessSplitTest {

    static final String SCHOOL = "S370811305";
    static final String OTHER_COUNTY_SCHOOL = "S370812305";
    static final String PLATFORM_ADMIN = TestTokens.as("admin-split", "platform-admin").district("370800").token();
    static final String SYNC = TestTokens.as("registry-sync-rc", "roster-sync").district("370811").token();
    static final String COUNSELOR = TestTokens.counselor(SCHOOL, "370811");

    @Test
    void thePlatformAdminRunsTheProgrammeButReadsNoStudentData() {
        RosterImportTest.school(SCHOOL, "职责分离测试中学");
        RosterImportTest.school(OTHER_COUNTY_SCHOOL, "职责分离测试中学（兖州）");
        String csv = "学号,姓名,性别,出生日期,年级,班级\nD1,甲同学,女,2011-05-06,9,1班\nD2,乙同学,男,2011-07-08,9,1班\n";

        // the registry sync imports the roster of a school of its county, not of another county
        RosterImportTest.importAndWait(SYNC, SCHOOL, "text/csv", csv.getBytes(StandardCharsets.UTF_8)).then().body("status", org.hamcrest.Matchers.equalTo("DONE"));
        given().auth().oauth2(SYNC).contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8))
                .post("/api/schools/" + OTHER_COUNTY_SCHOOL + "/roster-imports").then().statusCode(404);
        // the platform admin imports no roster and reads none
        given().auth().oauth2(PLATFORM_ADMIN).contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8))
                .post("/api/schools/" + SCHOOL + "/roster-imports").then().statusCode(403);
        given().auth().oauth2(PLATFORM_ADMIN).get("/api/schools/" + SCHOOL + "/students").then().statusCode(403);
        given().auth().oauth2(SYNC).get("/api/schools/" + SCHOOL + "/students").then().statusCode(403);

        // the platform admin creates a campaign (programme work) and sees its progress, counts only
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String campaign = given().auth().oauth2(PLATFORM_ADMIN).contentType("application/json")
                .body(Map.of("name", "职责分离 " + UUID.randomUUID(), "instruments", List.of("PHQ-A"), "schoolIds", List.of(SCHOOL),
                        "grades", List.of(9), "opensAt", now.minusHours(1).toString(), "closesAt", now.plusDays(7).toString()))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        given().auth().oauth2(PLATFORM_ADMIN).get("/api/campaigns/" + campaign + "/progress").then().statusCode(200);
        given().auth().oauth2(PLATFORM_ADMIN).get("/api/schools").then().statusCode(200).body("id", hasItem(SCHOOL));

        // slips: the school and the registry sync, never the platform admin
        given().auth().oauth2(PLATFORM_ADMIN).get("/api/campaigns/" + campaign + "/access-codes?schoolId=" + SCHOOL).then().statusCode(403);
        given().auth().oauth2(PLATFORM_ADMIN).get("/api/campaigns/" + campaign + "/access-code-slips?schoolId=" + SCHOOL).then().statusCode(403);
        given().auth().oauth2(SYNC).get("/api/campaigns/" + campaign + "/access-codes?schoolId=" + SCHOOL).then().statusCode(200).body("$", hasSize(2));
        given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + campaign + "/access-codes").then().statusCode(200).body("$", hasSize(2));

        // answers, risk queue, cases, conflicts, transfers: the school's (and the bureau's for transfers) alone
        for (String path : List.of("/api/schools/" + SCHOOL + "/risk-queue", "/api/submissions/" + UUID.randomUUID(),
                "/api/campaigns/" + campaign + "/conflicts?schoolId=" + SCHOOL, "/api/cases/" + UUID.randomUUID())) {
            given().auth().oauth2(PLATFORM_ADMIN).get(path).then().statusCode(403);
            given().auth().oauth2(SYNC).get(path).then().statusCode(403);
        }
        given().auth().oauth2(PLATFORM_ADMIN).contentType("application/json")
                .body(Map.of("fromSchoolId", SCHOOL, "studentNumber", "D1", "toSchoolId", OTHER_COUNTY_SCHOOL))
                .post("/api/students/transfers").then().statusCode(403);
        given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/risk-queue").then().statusCode(200);
    }
}
