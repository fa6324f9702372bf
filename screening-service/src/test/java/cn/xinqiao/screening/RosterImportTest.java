package cn.xinqiao.screening;

import cn.xinqiao.contracts.ContractValidator;
import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class RosterImportTest {

    static final String ADMIN = TestTokens.as("admin-1", "platform-admin").token();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EntityManager em;

    static void school(String id, String name) {
        given().auth().oauth2(ADMIN).contentType("application/json")
                .body(Map.of("name", name, "districtCode", id.substring(1, 7), "stage", "SENIOR"))
                .put("/api/schools/" + id).then().statusCode(200).body("cityCode", equalTo(id.substring(1, 5) + "00"));
    }

    static Response importAndWait(String token, String schoolId, String contentType, byte[] body) {
        String location = given().auth().oauth2(token).contentType(contentType).body(body)
                .post("/api/schools/" + schoolId + "/roster-imports")
                .then().statusCode(202).extract().header("Location");
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            Response progress = given().auth().oauth2(token).get(location);
            String status = progress.path("status");
            if ("DONE".equals(status) || "FAILED".equals(status)) {
                return progress;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("import did not finish");
    }

    @Test
    void rosterImportReportsRowErrorsByLineAndReimportUpdatesWithoutDuplicates() {
        school("S370811101", "测试第一中学");
        String counselor = TestTokens.counselor("S370811101", "370811");
        String csv = """
                学号,姓名,性别,出生日期,年级,班级,监护人,监护人电话
                2024001,王小明,男,2009-03-04,10,1班,王大明,13800000001
                2024002,李小红,女,2009-05-06,高一,1班,李大红,13800000002
                ,无学号,女,2009-05-06,10,1班,,
                2024003,张三,男,2009/7/8,10,2班,张四,0537-2345678
                2024004,=HYPERLINK("x"),男,2009-07-08,10,2班,,
                """;
        Response first = importAndWait(counselor, "S370811101", "text/csv", csv.getBytes(StandardCharsets.UTF_8));
        first.then().body("status", equalTo("DONE")).body("totalRows", equalTo(5)).body("createdRows", equalTo(3))
                .body("errorRows", equalTo(2)).body("errors.line", equalTo(List.of(4, 6)))
                .body("errors[1].errors[0]", containsString("formula"))
                .body(org.hamcrest.Matchers.not(containsString("HYPERLINK")));

        String renamed = csv.replace("王小明", "王晓明");
        importAndWait(counselor, "S370811101", "text/csv", renamed.getBytes(StandardCharsets.UTF_8))
                .then().body("createdRows", equalTo(0)).body("updatedRows", equalTo(3));

        given().auth().oauth2(counselor).get("/api/schools/S370811101/students")
                .then().statusCode(200).body("$", hasSize(3))
                .body("find { it.studentNumber == '2024001' }.name", equalTo("王晓明"))
                .body("find { it.studentNumber == '2024002' }.grade", equalTo(10));
    }

    /** When PostgreSQL last analysed a table by command (autovacuum's passes are kept apart, in last_autoanalyze). */
    OffsetDateTime lastAnalyze(String table) {
        return QuarkusTransaction.requiringNew().call(() -> (OffsetDateTime) em.createNativeQuery(
                "select last_analyze from pg_stat_user_tables where relname = ?1", OffsetDateTime.class).setParameter(1, table).getSingleResult());
    }

    @Test
    void aBigRosterAndItsCampaignsCodesArePlannedWithFreshStatistics() {
        school("S370811103", "统计信息测试中学");
        String counselor = TestTokens.counselor("S370811103", "370811");
        StringBuilder csv = new StringBuilder("学号,姓名,性别,出生日期,年级,班级\n");
        for (int i = 0; i < 1200; i++) { // far more than a tenth of the students the other tests import
            csv.append("P").append(i).append(",学生").append(i).append(",男,2010-01-01,10,").append(i % 30 + 1).append("班\n");
        }
        OffsetDateTime before = lastAnalyze("student");
        importAndWait(counselor, "S370811103", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8))
                .then().body("status", equalTo("DONE")).body("createdRows", equalTo(1200));
        OffsetDateTime students = lastAnalyze("student");
        assertTrue(students != null && (before == null || students.isAfter(before)), "the import analysed student before it said DONE");

        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String campaign = given().auth().oauth2(counselor).contentType("application/json")
                .body(Map.of("name", "统计信息测试", "instruments", List.of("PHQ-A"), "schoolIds", List.of("S370811103"), "grades", List.of(10),
                        "opensAt", now.minusHours(1).toString(), "closesAt", now.plusDays(7).toString()))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        OffsetDateTime codes = lastAnalyze("access_code");
        assertTrue(codes != null && codes.isAfter(students), "creating the campaign analysed access_code with its 1,200 new codes");
        given().auth().oauth2(counselor).get("/api/campaigns/" + campaign + "/access-codes").then().statusCode(200).body("$", hasSize(1200));

        // a re-import changes no row count: nothing to analyse
        importAndWait(counselor, "S370811103", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8))
                .then().body("status", equalTo("DONE")).body("createdRows", equalTo(0));
        assertEquals(students, lastAnalyze("student"));
    }

    @Test
    void directoryEventCarriesCountsNoNamesAndMeetsItsContract() {
        school("S370811102", "测试第二中学");
        String csv = "studentNumber,name,sex,grade,className\nA1,赵一,M,7,1\nA2,钱二,F,7,1\nA3,孙三,F,8,2\n";
        importAndWait(TestTokens.counselor("S370811102", "370811"), "S370811102", "text/csv",
                csv.getBytes(StandardCharsets.UTF_8)).then().body("createdRows", equalTo(3));

        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.function.Predicate<ConsumerRecord<String, String>> full = e -> {
            try {
                return "S370811102".equals(e.key()) && json.readTree(e.value()).path("total").asInt() == 3;
            } catch (Exception ex) {
                return false;
            }
        };
        List<ConsumerRecord<String, String>> events = new KafkaProbe(bootstrap).readUntil("directory.schools.v1",
                Duration.ofSeconds(20), r -> r.stream().anyMatch(full));
        ConsumerRecord<String, String> latest = events.stream().filter(full).findFirst().orElseThrow();
        ContractValidator.load().assertConforms("directory.schools.v1", KafkaProbe.headers(latest), latest.value());
        assertFalse(latest.value().contains("赵一") || latest.value().contains("A1"), latest.value());
        var enrolment = new java.util.HashSet<String>();
        try {
            json.readTree(latest.value()).path("enrolment").forEach(n ->
                    enrolment.add(n.path("grade").asInt() + "/" + n.path("sex").asText() + "/" + n.path("count").asInt()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertEquals(java.util.Set.of("7/MALE/1", "7/FEMALE/1", "8/FEMALE/1"), enrolment);
    }

    @Test
    void gb18030CsvFromExcelIsReadCorrectly() {
        school("S370811103", "测试第三中学");
        String csv = "学号,姓名,性别,年级,班级\r\nG1,欧阳娜娜,女,9,3班\r\n";
        String token = TestTokens.counselor("S370811103", "370811");
        importAndWait(token, "S370811103", "text/csv", csv.getBytes(Charset.forName("GB18030")))
                .then().body("createdRows", equalTo(1));
        given().auth().oauth2(token).get("/api/schools/S370811103/students").then().body("[0].name", equalTo("欧阳娜娜"));
    }

    @Test
    void xlsxRosterWithAFormulaCellRefusesThatRowOnly() throws Exception {
        school("S370811104", "测试第四中学");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XSSFWorkbook book = new XSSFWorkbook()) {
            var sheet = book.createSheet("名单");
            String[][] rows = {{"学号", "姓名", "性别", "年级", "班级"}, {"X1", "周一", "男", "11", "1班"}, {"X2", null, "女", "11", "1班"}};
            for (int r = 0; r < rows.length; r++) {
                var row = sheet.createRow(r);
                for (int c = 0; c < rows[r].length; c++) {
                    if (rows[r][c] != null) {
                        row.createCell(c).setCellValue(rows[r][c]);
                    }
                }
            }
            sheet.getRow(2).createCell(1).setCellFormula("1+1");
            book.write(out);
        }
        importAndWait(TestTokens.counselor("S370811104", "370811"), "S370811104",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", out.toByteArray())
                .then().body("createdRows", equalTo(1)).body("errorRows", equalTo(1)).body("errors[0].line", equalTo(3));
    }

    @Test
    void anotherSchoolsCounselorCannotImportOrReadTheRoster() {
        school("S370811105", "测试第五中学");
        String other = TestTokens.counselor("S370811199", "370811");
        given().auth().oauth2(other).contentType("text/csv").body("学号,姓名,年级,班级\nZ1,某某,10,1\n")
                .post("/api/schools/S370811105/roster-imports").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(other).get("/api/schools/S370811105/students").then().statusCode(404);
        given().get("/api/schools/S370811105/students").then().statusCode(401);
    }

    @Test
    void unreadableFileFailsWithAClearReason() {
        school("S370811106", "测试第六中学");
        importAndWait(TestTokens.counselor("S370811106", "370811"), "S370811106", "text/csv",
                "foo,bar\n1,2\n".getBytes(StandardCharsets.UTF_8))
                .then().body("status", equalTo("FAILED")).body("errors[0].errors[0]", containsString("学号"));
    }

    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /** A workbook of a few KB whose shared strings unpack to megabytes (~1,000×): refused before it is unpacked. */
    @Test
    void anXlsxZipBombIsRefusedWithAReasonAndTheServiceCarriesOn() throws Exception {
        school("S370811108", "测试第八中学");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XSSFWorkbook book = new XSSFWorkbook()) {
            var sheet = book.createSheet("名单");
            var header = sheet.createRow(0);
            String[] columns = {"学号", "姓名", "性别", "年级", "班级"};
            for (int c = 0; c < columns.length; c++) {
                header.createCell(c).setCellValue(columns[c]);
            }
            for (int r = 1; r <= 200; r++) {
                sheet.createRow(r).createCell(1).setCellValue("名".repeat(10_000) + r);
            }
            book.write(out);
        }
        assertTrue(out.size() < 200_000, "small on the wire: " + out.size());
        String token = TestTokens.counselor("S370811108", "370811");
        importAndWait(token, "S370811108", XLSX, out.toByteArray())
                .then().body("status", equalTo("FAILED")).body("errors[0].errors[0]", containsString("zip bomb"));
        // and the next roster of the school imports as ever
        importAndWait(token, "S370811108", "text/csv", "学号,姓名,性别,年级,班级\nZB1,赵八,男,10,1班\n".getBytes(StandardCharsets.UTF_8))
                .then().body("status", equalTo("DONE")).body("createdRows", equalTo(1));
    }

    @Test
    void aRosterOverTheRowCapIsRefusedWhileItIsRead() throws Exception {
        school("S370811109", "测试第九中学");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var book = new org.apache.poi.xssf.streaming.SXSSFWorkbook(100)) {
            var sheet = book.createSheet("名单");
            String[] columns = {"学号", "姓名", "性别", "年级", "班级"};
            var header = sheet.createRow(0);
            for (int c = 0; c < columns.length; c++) {
                header.createCell(c).setCellValue(columns[c]);
            }
            for (int r = 1; r <= 100_001; r++) {
                var row = sheet.createRow(r);
                row.createCell(0).setCellValue("R" + r);
                row.createCell(1).setCellValue("学生");
                row.createCell(3).setCellValue(10);
                row.createCell(4).setCellValue("1班");
            }
            book.write(out);
        }
        String token = TestTokens.counselor("S370811109", "370811");
        importAndWait(token, "S370811109", XLSX, out.toByteArray())
                .then().body("status", equalTo("FAILED")).body("errors[0].errors[0]", containsString("100000"));
        StringBuilder csv = new StringBuilder("学号,姓名,性别,年级,班级\n");
        for (int r = 1; r <= 100_001; r++) {
            csv.append('C').append(r).append(",学生,男,10,1班\n");
        }
        importAndWait(token, "S370811109", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8))
                .then().body("status", equalTo("FAILED")).body("errors[0].errors[0]", containsString("100000"));
        given().auth().oauth2(token).get("/api/schools/S370811109/students").then().statusCode(200).body("size()", equalTo(0));
    }

    @Inject
    cn.xinqiao.screening.roster.RosterImportService imports;

    /** An import left RUNNING by a process that died with it is not resumed at every start for ever. */
    @Test
    void anImportThatNeverFinishesIsMarkedFailedAfterThreeAttempts() {
        school("S370811110", "测试第十中学");
        java.util.UUID id = java.util.UUID.randomUUID();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        insert into roster_import (id, school_id, file_format, status, content, requested_by, created_at, attempts)
                        values (?1, 'S370811110', 'csv', 'RUNNING', ?2, 'counselor-x', now(), 3)""")
                .setParameter(1, id).setParameter(2, "学号,姓名,年级,班级\nQ1,钱十,10,1班\n".getBytes(StandardCharsets.UTF_8)).executeUpdate());
        imports.run(id);
        given().auth().oauth2(TestTokens.counselor("S370811110", "370811")).get("/api/roster-imports/" + id).then().statusCode(200)
                .body("status", equalTo("FAILED")).body("errors[0].errors[0]", containsString("3 attempts"));
        assertEquals(0L, ((Number) io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select count(*) from roster_import where id = ?1 and content is not null").setParameter(1, id).getSingleResult())).longValue(),
                "the file is dropped");
    }

    /** Health is on the management interface; the API port has no /q. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true) // the management root is /q
    java.net.URL ready;

    @Test
    void readinessChecksDatabaseAndKafka() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get(ready).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItems("Database connections health check"));
    }

    @Test
    void rosterReadsAreAudited() {
        school("S370811107", "测试第七中学");
        String token = TestTokens.counselor("S370811107", "370811");
        given().auth().oauth2(token).get("/api/schools/S370811107/students").then().statusCode(200);
        given().auth().oauth2(TestTokens.as("auditor-1", "auditor").token())
                .get("/api/audit?schoolId=S370811107").then().statusCode(200)
                .body("findAll { it.action == 'READ' && it.resource == 'roster' }.size()", equalTo(1));
    }
}
