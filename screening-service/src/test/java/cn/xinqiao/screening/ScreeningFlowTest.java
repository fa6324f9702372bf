package cn.xinqiao.screening;

import cn.xinqiao.contracts.ContractValidator;
import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The school side of the golden path over real PostgreSQL and Kafka. */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScreeningFlowTest {

    static final String SCHOOL = "S370811301";
    static final String COUNSELOR = TestTokens.counselor(SCHOOL, "370811");
    static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EntityManager em;

    @Inject
    cn.xinqiao.platform.pseudonym.Pseudonyms pseudonyms;

    static UUID campaign;
    static Map<String, String> codes = new java.util.HashMap<>();
    /** The roster's birth dates: the second thing a student types. */
    static final Map<String, String> BORN = Map.of("F1", "2010-01-01", "F2", "2010-02-02", "F3", "2010-03-03", "F4", "2010-04-04");

    synchronized void setUp() {
        if (campaign != null) {
            return;
        }
        RosterImportTest.school(SCHOOL, "筛查测试中学");
        String csv = "学号,姓名,性别,出生日期,年级,班级\nF1,甲同学,女,2010-01-01,10,1班\nF2,乙同学,男,2010-02-02,10,1班\n"
                + "F3,丙同学,女,2010-03-03,10,2班\nF4,丁同学,男,2010-04-04,11,1班\n";
        RosterImportTest.importAndWait(COUNSELOR, SCHOOL, "text/csv", csv.getBytes(StandardCharsets.UTF_8));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String id = given().auth().oauth2(COUNSELOR).contentType("application/json")
                .body(Map.of("name", "2026 秋季心理健康筛查", "instruments", List.of("PHQ-A", "GAD-7", "ASQ"),
                        "schoolIds", List.of(SCHOOL), "grades", List.of(10), "opensAt", now.minusHours(1).toString(),
                        "closesAt", now.plusDays(7).toString()))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        campaign = UUID.fromString(id);
        given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + id + "/access-codes").then().statusCode(200)
                .extract().<List<Map<String, Object>>>path("$")
                .forEach(slip -> codes.put((String) slip.get("studentNumber"), (String) slip.get("accessCode")));
    }

    String login(String studentNumber) {
        return given().contentType("application/json").body(Map.of("accessCode", codes.get(studentNumber), "birthDate", BORN.get(studentNumber)))
                .post("/api/student-sessions").then().statusCode(201).extract().path("token");
    }

    static Map<String, Object> answers(UUID campaign, String instrument, int[] values, String clientId) {
        return Map.of("campaignId", campaign.toString(), "instrumentId", instrument, "answers", values, "clientSubmissionId", clientId);
    }

    @Test
    @Order(1)
    void campaignIssuesOneCodePerEnrolledStudentOfItsGrades() {
        setUp();
        assertEquals(3, codes.size(), "grade 10 only: F1-F3");
        assertTrue(codes.values().stream().allMatch(c -> c.matches("[2-9A-Z]{4}-[2-9A-Z]{4}")));
        given().auth().oauth2(TestTokens.counselor("S370811399", "370811")).get("/api/campaigns/" + campaign + "/access-codes")
                .then().statusCode(404);
    }

    @Test
    @Order(1)
    void accessCodeSlipsPrintOneClassPerPageInChinese() throws Exception {
        setUp();
        byte[] pdf = given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + campaign + "/access-code-slips")
                .then().statusCode(200).contentType("application/pdf").extract().asByteArray();
        try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            assertEquals(2, doc.getNumberOfPages(), "grade 10: 1班 (F1, F2) and 2班 (F3) each on their own page");
            String text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
            assertTrue(text.contains("甲同学") && text.contains(codes.get("F1")) && text.contains("0537-5151885"), text);
            assertTrue(!text.contains("丁同学"), "grade 11 is not in the campaign");
        }
        given().auth().oauth2(TestTokens.counselor("S370811399", "370811")).get("/api/campaigns/" + campaign + "/access-code-slips")
                .then().statusCode(404);
        assertTrue(((Number) em.createNativeQuery("select count(*) from audit_log where resource = 'access-codes' and resource_id = ?1")
                .setParameter(1, campaign.toString()).getSingleResult()).intValue() >= 1, "printing slips is an audited read");
    }

    @Test
    @Order(1)
    void campaignScopeIsPublishedForReportingCoverage() throws Exception {
        setUp();
        KafkaProbe kafka = new KafkaProbe(bootstrap);
        ConsumerRecord<String, String> event = kafka.readUntil("directory.campaigns.v1", java.time.Duration.ofSeconds(30),
                        r -> r.stream().anyMatch(x -> campaign.toString().equals(x.key())))
                .stream().filter(x -> campaign.toString().equals(x.key())).findFirst().orElseThrow();
        ContractValidator.load().assertConforms("directory.campaigns.v1", KafkaProbe.headers(event), event.value());
        JsonNode data = JSON.readTree(event.value());
        assertEquals(SCHOOL, data.path("schoolIds").path(0).asText());
        assertEquals(10, data.path("grades").path(0).asInt());
        assertEquals(3, data.path("instruments").size());
    }

    @Test
    @Order(2)
    void criticalItemRaisesReferralWithTheResultInOneTransactionAndTheStudentSeesOnlyAReceipt() throws Exception {
        setUp();
        String token = login("F1");
        int[] phqA = {0, 0, 0, 0, 0, 0, 0, 0, 2};  // item 9 = 2, total 2: "minimal" yet critical
        String clientId = UUID.randomUUID().toString();
        Response receipt = given().auth().oauth2(token).contentType("application/json")
                .body(answers(campaign, "PHQ-A", phqA, clientId)).post("/api/submissions");
        receipt.then().statusCode(201).body("hotline", equalTo("0537-5151885"))
                .body("$", not(hasKey("riskLevel"))).body("$", not(hasKey("totalScore"))).body("$", not(hasKey("band")));
        String submissionId = receipt.path("submissionId");

        KafkaProbe kafka = new KafkaProbe(bootstrap);
        ContractValidator contracts = ContractValidator.load();
        ConsumerRecord<String, String> result = find(kafka, "screening.results.v1", submissionId);
        contracts.assertConforms("screening.results.v1", KafkaProbe.headers(result), result.value());
        JsonNode data = JSON.readTree(result.value());
        assertEquals("CRITICAL", data.path("riskLevel").asText());
        assertEquals("minimal", data.path("band").asText());
        assertTrue(data.path("criticalItem").asBoolean());

        ConsumerRecord<String, String> request = find(kafka, "referral.requests.v1", submissionId);
        contracts.assertConforms("referral.requests.v1", KafkaProbe.headers(request), request.value());
        JsonNode req = JSON.readTree(request.value());
        assertEquals("CRITICAL", req.path("riskLevel").asText());
        assertEquals("SCREENING", req.path("source").asText());
        assertEquals(req.path("studentKey").asText(), request.key(), "keyed by the pseudonymous student key");
        assertTrue(!request.value().contains("甲同学") && !request.value().contains("F1"), "no identity on the request topic");

        // the same submission again (a retry after a dropped connection): same receipt, nothing new
        given().auth().oauth2(token).contentType("application/json").body(answers(campaign, "PHQ-A", phqA, clientId))
                .post("/api/submissions").then().statusCode(200).body("submissionId", equalTo(submissionId));
        List<ConsumerRecord<String, String>> requests = kafka.readFor("referral.requests.v1", Duration.ofSeconds(2));
        assertEquals(1, requests.stream().filter(r -> r.value().contains(submissionId)).count());

        given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/risk-queue").then().statusCode(200)
                .body("[0].studentNumber", equalTo("F1")).body("[0].riskLevel", equalTo("CRITICAL"))
                .body("[0].status", equalTo("REFERRED"));
    }

    @Test
    @Order(3)
    void paperAndOnlineForTheSameInstrumentNeverCountTwice() {
        setUp();
        String token = login("F2");
        int[] gad = {1, 1, 1, 1, 1, 1, 1};
        given().auth().oauth2(token).contentType("application/json").body(answers(campaign, "GAD-7", gad, "online-1"))
                .post("/api/submissions").then().statusCode(201);
        Map<String, Object> paper = new java.util.HashMap<>(answers(campaign, "GAD-7", gad, "paper-1"));
        paper.put("studentNumber", "F2");
        paper.put("mode", "PAPER");
        given().auth().oauth2(COUNSELOR).contentType("application/json").body(paper)
                .post("/api/submissions").then().statusCode(201).body("status", equalTo("CONFLICT"));
        given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + campaign + "/progress").then().statusCode(200)
                .body("enrolled", equalTo(3)).body("online", equalTo(1 + 1)).body("paper", equalTo(0))
                .body("byClass.find { it.className == '1班' }.submitted", equalTo(2));
    }

    @Test
    @Order(50)
    void theCounsellorReviewsAConflictAndTheReplacementSupersedesTheCountedResult() throws Exception {
        setUp();
        String token = login("F3");
        String online = given().auth().oauth2(token).contentType("application/json")
                .body(answers(campaign, "ASQ", new int[]{0, 0, 0, 0, 0}, "online-f3")).post("/api/submissions")
                .then().statusCode(201).extract().path("submissionId");
        Map<String, Object> paper = new java.util.HashMap<>(answers(campaign, "ASQ", new int[]{0, 0, 0, 0, 0}, "paper-f3"));
        paper.put("studentNumber", "F3");
        paper.put("mode", "PAPER");
        String conflict = given().auth().oauth2(COUNSELOR).contentType("application/json").body(paper).post("/api/submissions")
                .then().statusCode(201).body("status", equalTo("CONFLICT")).extract().path("submissionId");

        given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + campaign + "/conflicts").then().statusCode(200)
                .body("find { it.conflictId == '" + conflict + "' }.studentNumber", equalTo("F3"))
                .body("find { it.conflictId == '" + conflict + "' }.counted.mode", equalTo("ONLINE"))
                .body("find { it.conflictId == '" + conflict + "' }.conflicting.mode", equalTo("PAPER"))
                .body("find { it.conflictId == '" + conflict + "' }.instrumentId", equalTo("ASQ"));
        given().auth().oauth2(TestTokens.counselor("S370811399", "370811")).contentType("application/json")
                .body(Map.of("decision", "REPLACE", "note", "x")).post("/api/submissions/" + conflict + "/resolution").then().statusCode(404);
        given().auth().oauth2(COUNSELOR).contentType("application/json").body(Map.of("decision", "MAYBE", "note", ""))
                .post("/api/submissions/" + conflict + "/resolution").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("decision", "note"));

        given().auth().oauth2(COUNSELOR).contentType("application/json")
                .body(Map.of("decision", "REPLACE", "note", "学生在线作答时误触，以纸质问卷为准"))
                .post("/api/submissions/" + conflict + "/resolution").then().statusCode(200)
                .body("status", equalTo("COUNTED")).body("resolution", equalTo("REPLACE"));
        given().auth().oauth2(COUNSELOR).contentType("application/json").body(Map.of("decision", "KEEP", "note", "again"))
                .post("/api/submissions/" + conflict + "/resolution").then().statusCode(409);
        given().auth().oauth2(COUNSELOR).get("/api/submissions/" + online).then().body("status", equalTo("RESOLVED"));
        given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + campaign + "/conflicts").then()
                .body("conflictId", not(org.hamcrest.Matchers.hasItem(conflict)));

        KafkaProbe kafka = new KafkaProbe(bootstrap);
        ConsumerRecord<String, String> replacement = find(kafka, "screening.results.v1", conflict);
        ContractValidator.load().assertConforms("screening.results.v1", KafkaProbe.headers(replacement), replacement.value());
        JsonNode data = JSON.readTree(replacement.value());
        assertEquals(online, data.path("supersedes").asText());
        assertEquals("PAPER", data.path("mode").asText());
        assertTrue(!find(kafka, "screening.results.v1", online).value().contains("supersedes"), "an ordinary result carries no supersedes");
    }

    @Test
    @Order(4)
    void badAnswersAreRefusedWithFieldErrorsAndNothingIsStored() {
        setUp();
        String token = login("F3");
        long before = count();
        given().auth().oauth2(token).contentType("application/json")
                .body(answers(campaign, "PHQ-A", new int[]{0, 0, 0, 0, 0, 0, 0, 0, 7}, "bad-1"))
                .post("/api/submissions").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("answers"));
        given().auth().oauth2(token).contentType("application/json")
                .body(answers(campaign, "PHQ-9", new int[9], "bad-2"))
                .post("/api/submissions").then().statusCode(400).body("errors.field", hasItem("instrumentId"));
        given().auth().oauth2(token).contentType("application/json")
                .body(answers(UUID.randomUUID(), "PHQ-A", new int[9], "bad-3"))
                .post("/api/submissions").then().statusCode(403);
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"campaignId\":\"" + campaign + "\",\"instrumentId\":\"PHQ-A\",\"answers\":[0],\"clientSubmissionId\":\"x\",\"score\":0}")
                .post("/api/submissions").then().statusCode(400);
        // A forged student session (one signature character changed) is not a session; a real one opens no staff endpoint.
        char last = token.charAt(token.length() - 2);
        String forged = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        given().auth().oauth2(forged).contentType("application/json")
                .body(answers(campaign, "PHQ-A", new int[9], "forged-1")).post("/api/submissions").then().statusCode(401);
        given().auth().oauth2(token).get("/api/schools/" + SCHOOL + "/risk-queue").then().statusCode(403);
        assertEquals(before, count());
    }

    @Test
    @Order(5)
    void hospitalStatusReachesTheRiskQueue() throws Exception {
        setUp();
        UUID requestId = UUID.fromString(em.createNativeQuery(
                "select cast(referral_request_id as varchar) from risk_case where school_id = ?1 and referral_request_id is not null", String.class)
                .setParameter(1, SCHOOL).getResultList().get(0).toString());
        UUID referralId = UUID.randomUUID();
        String status = """
                {"referralId":"%s","requestIds":["%s"],"studentKey":"Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg","schoolId":"%s",
                 "districtCode":"370811","hospitalId":"H370800001","riskLevel":"CRITICAL","status":"accepted","businessStatus":"accepted",
                 "requestedAt":"2026-11-22T08:00:00Z","occurredAt":"%s"}""".formatted(referralId, requestId, SCHOOL, Instant.now());
        new KafkaProbe(bootstrap).sendCloudEvent("referral.status.v1", referralId.toString(), UUID.randomUUID(),
                "cn.xinqiao.referral.status.v1", status);
        Instant deadline = Instant.now().plusSeconds(20);
        String seen = null;
        while (Instant.now().isBefore(deadline) && !"accepted".equals(seen)) {
            seen = given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/risk-queue").then().extract().path("[0].referralStatus");
            Thread.sleep(200);
        }
        assertEquals("accepted", seen);
        given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/risk-queue").then().body("[0].referralHospital", equalTo("H370800001"));
    }

    @Test
    @Order(6)
    void guardianNotificationIsRecordedOnTheCase() {
        setUp();
        String caseId = given().auth().oauth2(COUNSELOR).get("/api/schools/" + SCHOOL + "/risk-queue").then().extract().path("[0].id");
        given().auth().oauth2(COUNSELOR).contentType("application/json")
                .body(Map.of("kind", "GUARDIAN_INFORMED", "note", "电话告知母亲，14:20"))
                .post("/api/risk-queue/" + caseId + "/notes").then().statusCode(200).body("guardianInformed", equalTo(true));
        given().auth().oauth2(TestTokens.counselor("S370811399", "370811")).contentType("application/json")
                .body(Map.of("kind", "CLOSE", "note", "x")).post("/api/risk-queue/" + caseId + "/notes").then().statusCode(404);
    }

    @Test
    @Order(7)
    void paperBatchReportsEachRowAndAReuploadStoresNothingNew() {
        setUp();
        String csv = "学号,量表,a1,a2,a3,a4,a5,a6,a7\nF3,GAD-7,3,3,3,3,3,0,0\nNOPE,GAD-7,0,0,0,0,0,0,0\nF3,PHQ-A,0,0,0,0,0,0,0,0,9\nF3,ASQ,0,x,0,0,0\n";
        given().auth().oauth2(COUNSELOR).contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8))
                .post("/api/campaigns/" + campaign + "/paper-submissions").then().statusCode(200)
                .body("rows", equalTo(4)).body("stored", equalTo(1)).body("failed", equalTo(3))
                .body("results[0].riskLevel", equalTo("HIGH"))
                .body("results[1].line", equalTo(3)).body("results[1].outcome", equalTo("FAILED"))
                .body("results[3].errors[0]", equalTo("answers must be whole numbers"));
        given().auth().oauth2(COUNSELOR).contentType("text/csv").body(csv.getBytes(StandardCharsets.UTF_8))
                .post("/api/campaigns/" + campaign + "/paper-submissions").then().statusCode(200)
                .body("stored", equalTo(0)).body("replayed", equalTo(1));
        given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + campaign + "/progress").then().body("paper", equalTo(1));
    }

    @Test
    void aBadPhq9AnswerIsRefusedInZhCnByDefaultAndInEnglishWhenAsked() {
        setUp();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String phq9 = given().auth().oauth2(COUNSELOR).contentType("application/json")
                .body(Map.of("name", "PHQ-9 复评", "instruments", List.of("PHQ-9"), "schoolIds", List.of(SCHOOL), "grades", List.of(10),
                        "opensAt", now.minusHours(1).toString(), "closesAt", now.plusDays(7).toString()))
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        Map<String, Object> body = new java.util.HashMap<>(answers(UUID.fromString(phq9), "PHQ-9", new int[]{0, 0, 0, 0, 0, 0, 0, 0, 4}, "bad-phq9"));
        body.put("studentNumber", "F1");
        body.put("mode", "PAPER");
        long before = count();
        given().auth().oauth2(COUNSELOR).contentType("application/json").body(body).post("/api/submissions")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("输入校验未通过"))
                .body("detail", equalTo("答案与问卷 PHQ-9 不符"))
                .body("errors[0].field", equalTo("answers"))
                .body("errors[0].message", equalTo("answers[8]：4 不是第 9 题的选项（可选 [0, 1, 2, 3]）"));
        given().auth().oauth2(COUNSELOR).header("Accept-Language", "en-GB,en;q=0.9,zh-CN;q=0.5").contentType("application/json")
                .body(body).post("/api/submissions")
                .then().statusCode(400)
                .body("title", equalTo("Validation failed"))
                .body("detail", equalTo("the answers do not fit PHQ-9"))
                .body("errors[0].message", equalTo("answers[8]: 4 is not an option of item 9 (allowed [0, 1, 2, 3])"));
        given().auth().oauth2(COUNSELOR).header("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8").contentType("application/json")
                .body(body).post("/api/submissions").then().statusCode(400).body("title", equalTo("输入校验未通过"));
        assertEquals(before, count(), "a refused answer stores nothing");
    }

    @Test
    void aResendIsRecognisedWithinItsCampaignAndTheSameClientIdInAnotherCampaignIsANewSubmission() {
        setUp();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<String> campaigns = new ArrayList<>();
        for (String name : List.of("2027 春季筛查", "2027 秋季筛查")) {
            campaigns.add(given().auth().oauth2(COUNSELOR).contentType("application/json")
                    .body(Map.of("name", name, "instruments", List.of("GAD-7"), "schoolIds", List.of(SCHOOL), "grades", List.of(10),
                            "opensAt", now.minusHours(1).toString(), "closesAt", now.plusDays(7).toString()))
                    .post("/api/campaigns").then().statusCode(201).extract().path("id"));
        }
        Function<String, Response> paper = c -> {
            Map<String, Object> body = new java.util.HashMap<>(answers(UUID.fromString(c), "GAD-7", new int[]{0, 1, 0, 1, 0, 1, 0}, "form-17"));
            body.put("studentNumber", "F3");
            body.put("mode", "PAPER");
            return given().auth().oauth2(COUNSELOR).contentType("application/json").body(body).post("/api/submissions");
        };
        String spring = paper.apply(campaigns.get(0)).then().statusCode(201).extract().path("submissionId");
        String autumn = paper.apply(campaigns.get(1)).then().statusCode(201).extract().path("submissionId");
        assertNotEquals(spring, autumn, "another campaign: a new submission, not the spring one replayed");
        paper.apply(campaigns.get(0)).then().statusCode(200).body("submissionId", equalTo(spring));
        for (String c : campaigns) {
            given().auth().oauth2(COUNSELOR).get("/api/campaigns/" + c + "/progress").then().statusCode(200).body("paper", equalTo(1));
        }
    }

    @Test
    @Order(8)
    void item9OfOneWithTotalThreeIsCriticalAndStaffSeeTheRuleThatFired() throws Exception {
        setUp();
        String token = login("F2");
        int[] phqA = {1, 0, 1, 0, 0, 0, 0, 0, 1};
        String id = given().auth().oauth2(token).contentType("application/json")
                .body(answers(campaign, "PHQ-A", phqA, "f2-phqa")).post("/api/submissions").then().statusCode(201)
                .extract().path("submissionId");
        ConsumerRecord<String, String> request = find(new KafkaProbe(bootstrap), "referral.requests.v1", id);
        assertEquals("CRITICAL", JSON.readTree(request.value()).path("riskLevel").asText());
        given().auth().oauth2(COUNSELOR).get("/api/submissions/" + id).then().statusCode(200)
                .body("totalScore", equalTo(3)).body("band", equalTo("minimal")).body("riskLevel", equalTo("CRITICAL"))
                .body("rule", equalTo("critical-item:PHQ-A:item9")).body("policyVersion", equalTo("2024.1"));
        given().auth().oauth2(TestTokens.counselor("S370811399", "370811")).get("/api/submissions/" + id).then().statusCode(404);
        given().auth().oauth2(TestTokens.counselor("S370811399", "370811")).get("/api/schools/" + SCHOOL + "/risk-queue")
                .then().statusCode(404);
    }

    @Test
    @Order(9)
    void badInputGetsAProblemAndStoresNothing() {
        setUp();
        String token = login("F3");
        long before = count();
        Map<String, Object> missingItems = answers(campaign, "GAD-7", new int[]{0, 0, 0}, "bad-missing");
        Map<String, Object> unknown = answers(campaign, "K10", new int[10], "bad-unknown");
        given().auth().oauth2(token).contentType("application/json").body(missingItems).post("/api/submissions")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(token).contentType("application/json").body(unknown).post("/api/submissions")
                .then().statusCode(400).body("errors.field", hasItem("instrumentId"));
        given().auth().oauth2(token).contentType("application/json").body("{\"campaignId\": ").post("/api/submissions")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(token).contentType("application/json").body(Map.of("campaignId", campaign.toString()))
                .post("/api/submissions").then().statusCode(400).body("errors.field", hasItem("answers"));
        byte[] huge = ("{\"campaignId\":\"" + campaign + "\",\"pad\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        given().auth().oauth2(token).contentType("application/json").body(huge).post("/api/submissions")
                .then().statusCode(413);
        // another school's student through paper entry
        Map<String, Object> paper = new java.util.HashMap<>(answers(campaign, "GAD-7", new int[7], "bad-other"));
        paper.put("studentNumber", "F1");
        paper.put("mode", "PAPER");
        given().auth().oauth2(TestTokens.counselor("S370811399", "370811")).contentType("application/json").body(paper)
                .post("/api/submissions").then().statusCode(400).body("errors.field", hasItem("studentNumber"));
        assertEquals(before, count());
    }

    @Test
    @Order(10)
    void aClosedCampaignTakesNoMoreOnlineAnswers() {
        setUp();
        String token = login("F3");
        closeCampaign();
        try {
            given().auth().oauth2(token).contentType("application/json").body(answers(campaign, "ASQ", new int[5], "late-1"))
                    .post("/api/submissions").then().statusCode(409).body("type", equalTo("https://xinqiao.cn/problems/campaign-closed"));
            given().contentType("application/json").body(Map.of("accessCode", codes.get("F3"), "birthDate", BORN.get("F3")))
                    .post("/api/student-sessions").then().statusCode(409);
        } finally {
            reopenCampaign();
        }
    }

    void closeCampaign() {
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update campaign set closes_at = now() - interval '1 hour', opens_at = now() - interval '2 hours' where id = ?1")
                .setParameter(1, campaign).executeUpdate());
    }

    void reopenCampaign() {
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update campaign set opens_at = now() - interval '1 day', closes_at = now() + interval '7 days' where id = ?1")
                .setParameter(1, campaign).executeUpdate());
    }

    private long count() {
        return ((Number) em.createNativeQuery("select count(*) from submission").getSingleResult()).longValue();
    }

    @Test
    @Order(20)
    void onlyTheReferralServiceAccountResolvesAStudentKeyToTheIdentityAndEveryCallIsAudited() throws Exception {
        setUp();
        String key = pseudonyms.studentKey(SCHOOL, "F2");
        String dispatcher = TestTokens.as("service-account-referral-service", "referral-dispatcher").district("370800").token();
        // F2's critical answer raised a request (its risk case): the identity goes out, recorded with whose action caused it
        given().auth().oauth2(dispatcher).queryParam("schoolId", SCHOOL).queryParam("onBehalfOf", "counselor.f2")
                .get("/api/referral-identities/" + key).then().statusCode(200)
                .body("name", equalTo("乙同学")).body("studentNumber", equalTo("F2")).body("sex", equalTo("MALE"))
                .body("birthDate", equalTo("2010-02-02")).body("schoolName", equalTo("筛查测试中学"));
        given().auth().oauth2(dispatcher).get("/api/referral-identities/" + key + "?schoolId=S370811399").then().statusCode(404);
        given().auth().oauth2(COUNSELOR).get("/api/referral-identities/" + key + "?schoolId=" + SCHOOL).then().statusCode(403);
        given().get("/api/referral-identities/" + key + "?schoolId=" + SCHOOL).then().statusCode(401);
        given().auth().oauth2(TestTokens.as("auditor-1", "auditor").token()).get("/api/audit?resource=student-identity").then()
                .statusCode(200).body("actor", hasItem("service-account-referral-service"))
                .body("purpose", hasItem("green-channel referral; on behalf of counselor.f2"));

        // F4 has no referral request: no identity, only whether F4 is a student here (grade and sex), or whether a
        // hospital's discharge names F4
        String f4 = pseudonyms.studentKey(SCHOOL, "F4");
        given().auth().oauth2(dispatcher).get("/api/referral-identities/" + f4 + "?schoolId=" + SCHOOL).then().statusCode(409)
                .body("type", org.hamcrest.Matchers.endsWith("no-open-referral")).body("$", not(org.hamcrest.Matchers.hasKey("name")));
        given().auth().oauth2(dispatcher).get("/api/referral-identities/" + f4 + "/enrolment?schoolId=" + SCHOOL).then().statusCode(200)
                .body("grade", equalTo(11)).body("sex", equalTo("MALE")).body("$", not(org.hamcrest.Matchers.hasKey("name")));
        given().auth().oauth2(dispatcher).contentType("application/json").body(Map.of("schoolId", SCHOOL, "name", "丁同学", "birthDate", "2010-04-04"))
                .post("/api/referral-identities/" + f4 + "/match").then().statusCode(200).body("grade", equalTo(11));
        given().auth().oauth2(dispatcher).contentType("application/json").body(Map.of("schoolId", SCHOOL, "name", "丁同学", "birthDate", "2010-04-05"))
                .post("/api/referral-identities/" + f4 + "/match").then().statusCode(404);

        // referral-service reports a referral open for F4 (a hotline call, say): now it goes out; closed again: no more
        UUID referralId = UUID.randomUUID();
        String status = """
                {"referralId":"%s","studentKey":"%s","schoolId":"%s","districtCode":"370811","hospitalId":"H370800001",
                 "riskLevel":"HIGH","status":"%s","businessStatus":"%s","requestedAt":"2026-11-22T08:00:00Z","occurredAt":"%s"}""";
        new KafkaProbe(bootstrap).sendCloudEvent("referral.status.v1", referralId.toString(), UUID.randomUUID(), "cn.xinqiao.referral.status.v1",
                status.formatted(referralId, f4, SCHOOL, "requested", "routed", Instant.now()));
        awaitStatus(dispatcher, f4, 200);
        new KafkaProbe(bootstrap).sendCloudEvent("referral.status.v1", referralId.toString(), UUID.randomUUID(), "cn.xinqiao.referral.status.v1",
                status.formatted(referralId, f4, SCHOOL, "cancelled", "cancelled", Instant.now()));
        awaitStatus(dispatcher, f4, 409);
    }

    private void awaitStatus(String token, String key, int expected) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        int seen = 0;
        while (Instant.now().isBefore(deadline) && seen != expected) {
            seen = given().auth().oauth2(token).get("/api/referral-identities/" + key + "?schoolId=" + SCHOOL).statusCode();
            Thread.sleep(200);
        }
        assertEquals(expected, seen);
    }

    private static ConsumerRecord<String, String> find(KafkaProbe kafka, String topic, String contains) {
        return kafka.readUntil(topic, Duration.ofSeconds(20), r -> r.stream().anyMatch(x -> x.value().contains(contains)))
                .stream().filter(x -> x.value().contains(contains)).findFirst()
                .orElseThrow(() -> new AssertionError("no event on " + topic + " for " + contains));
    }
}
