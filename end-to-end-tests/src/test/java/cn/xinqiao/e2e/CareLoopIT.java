package cn.xinqiao.e2e;

import cn.xinqiao.contracts.ContractValidator;
import cn.xinqiao.testing.KafkaProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The closed loop (闭环) on the real stack: PHQ-A item 9 → a CRITICAL case with its procedure clocks → the FHIR message
 * on the partner hospital's topic → the hospital accepts, schedules and completes by writing FHIR Tasks to its own
 * replies topic, with a return summary and a follow-up plan of 7 and 30 days → the counsellor reads the summary and the
 * two follow-ups in the care record → a "worse" follow-up sends the student back through the green channel → the
 * city's care-loop report counts it for the county. And a case from daily work, with no screening, reaches the hospital the same
 * way. Prints the latencies.
 */
class CareLoopIT {

    static final String SCHOOL = "S370811002"; // 任城区实验初级中学, the school the tests enrol students in (the demo rosters stay as loaded)
    static final String HOSPITAL = "H370800001";
    static final String HOSPITAL_TOPIC = "referral.hospital." + HOSPITAL + ".v1";
    static final String REPLIES = "referral.hospital." + HOSPITAL + ".replies.v1";
    static final ObjectMapper JSON = new ObjectMapper();
    static final ContractValidator CONTRACTS = ContractValidator.load();

    @BeforeAll
    static void up() throws Exception {
        Stack.get();
    }

    @Test
    void aCriticalAnswerIsCaredForUntilTheStudentIsBackAndFollowedUp() throws Exception {
        String engine = Stack.token("clinician.h1"); // the hospital's engine opens each message's sealed identity
        String screening = Stack.url("screening-service");
        String referral = Stack.url("referral-service");
        String counselor = Stack.token("counselor.rc2");
        KafkaProbe kafka = new KafkaProbe(Stack.get().kafkaBootstrap());
        String suffix = Long.toString(System.nanoTime() % 1_000_000);
        String number = "CL" + suffix;
        String dailyNumber = "CD" + suffix;
        String name = "闭环测试生" + suffix;
        String dailyName = "日常发现生" + suffix;
        String csv = "学号,姓名,性别,出生日期,年级,班级,监护人,监护人电话\n" + number + "," + name + ",女,2012-04-05,8,闭环1班,闭环家长,13805371111\n"
                + dailyNumber + "," + dailyName + ",男,2012-06-07,8,闭环1班,日常家长,13805372222\n";
        String job = given().auth().oauth2(counselor).contentType("text/csv; charset=UTF-8").body(csv.getBytes(StandardCharsets.UTF_8))
                .post(screening + "/api/schools/" + SCHOOL + "/roster-imports").then().statusCode(202).extract().path("id");
        await(() -> "DONE".equals(given().auth().oauth2(counselor).get(screening + "/api/roster-imports/" + job).path("status")), "the roster import");
        String campaign = given().auth().oauth2(counselor).get(screening + "/api/campaigns").then().statusCode(200).extract().path("[0].id");
        given().auth().oauth2(counselor).post(screening + "/api/campaigns/" + campaign + "/access-codes").then().statusCode(200); // enrols the new students

        // 1. PHQ-A item 9 = 2 → a CRITICAL case with the procedure's clocks
        long submitted = System.currentTimeMillis();
        given().auth().oauth2(counselor).contentType("application/json")
                .body(Map.of("campaignId", campaign, "instrumentId", "PHQ-A", "answers", List.of(1, 1, 0, 1, 0, 0, 0, 0, 2),
                        "studentNumber", number, "mode", "PAPER", "clientSubmissionId", "loop-" + number))
                .post(screening + "/api/submissions").then().statusCode(201);
        String caseId = awaitValue(() -> given().auth().oauth2(counselor).get(screening + "/api/schools/" + SCHOOL + "/risk-queue")
                .then().statusCode(200).extract().path("find { it.studentNumber == '" + number + "' }.id"), "the student's case");
        long toCase = System.currentTimeMillis() - submitted;
        JsonPath kase = given().auth().oauth2(counselor).get(screening + "/api/cases/" + caseId).then().statusCode(200).extract().jsonPath();
        assertEquals("CRITICAL", kase.getString("riskCase.riskLevel"));
        OffsetDateTime guardianDue = OffsetDateTime.parse(kase.getString("steps.find { it.code == 'GUARDIAN_CONTACTED' }.dueAt"));
        assertTrue(Duration.between(Instant.ofEpochMilli(submitted), guardianDue.toInstant()).toMinutes() <= 61, "the guardian within an hour");
        assertTrue(kase.getBoolean("steps.find { it.code == 'STAY_AND_INFORM_SAFETY_LEAD' }.critical"));

        // 2. the FHIR message reaches the partner hospital's topic
        ConsumerRecord<String, String> message = first(kafka, HOSPITAL_TOPIC, r -> HospitalEngine.patientOf(r, engine).contains(name));
        long toHospital = message.timestamp() - submitted;
        String referralId = JSON.readTree(message.value()).path("entry").get(2).path("resource").path("id").asText();

        // 3. the hospital answers over Kafka: accepted, scheduled, completed with the return summary and a 7/30-day plan
        long replied = System.currentTimeMillis();
        reply(kafka, referralId, "{\"status\":\"accepted\"}");
        awaitStatus(counselor, referral, referralId, "accepted");
        long acceptedBack = System.currentTimeMillis() - replied;
        reply(kafka, referralId, "{\"status\":\"in-progress\",\"executionPeriod\":{\"start\":\"" + OffsetDateTime.now(ZoneOffset.UTC).plusHours(2)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")) + "\"}}");
        awaitStatus(counselor, referral, referralId, "in-progress");
        long completed = System.currentTimeMillis();
        reply(kafka, referralId, """
                {"status":"completed","note":[{"text":"已面诊，门诊随访"}],"output":[
                  {"type":{"coding":[{"system":"https://xinqiao.cn/fhir/CodeSystem/return-summary","code":"recommendations"}]},"valueString":"建议减轻课业负担，每周与心理教师面谈一次"},
                  {"type":{"coding":[{"system":"https://xinqiao.cn/fhir/CodeSystem/return-summary","code":"accommodation"}]},
                   "valueCodeableConcept":{"coding":[{"system":"https://xinqiao.cn/fhir/CodeSystem/school-accommodation","code":"REDUCED_WORKLOAD"}]}},
                  {"type":{"coding":[{"system":"https://xinqiao.cn/fhir/CodeSystem/return-summary","code":"follow-up-school"}]},
                   "valueDuration":{"value":7,"unit":"d","system":"http://unitsofmeasure.org","code":"d"}},
                  {"type":{"coding":[{"system":"https://xinqiao.cn/fhir/CodeSystem/return-summary","code":"follow-up-school"}]},
                   "valueDuration":{"value":30,"unit":"d","system":"http://unitsofmeasure.org","code":"d"}}]}""");

        // 4. the counsellor: the summary and the two follow-ups in the care record
        List<Map<String, Object>> followUps = awaitValue(() -> {
            List<Map<String, Object>> mine = given().auth().oauth2(counselor).get(screening + "/api/schools/" + SCHOOL + "/follow-ups?due=all")
                    .then().statusCode(200).extract().jsonPath().getList("findAll { it.studentNumber == '" + number + "' }");
            return mine.size() == 2 ? mine : null;
        }, "two follow-ups on the student's case");
        long toFollowUps = System.currentTimeMillis() - completed;
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        assertEquals(List.of(today.plusDays(30).toString(), today.plusDays(7).toString()), followUps.stream().map(f -> f.get("dueOn")).toList());
        JsonPath record = given().auth().oauth2(counselor).get(screening + "/api/schools/" + SCHOOL + "/students/" + number + "/care-record")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(2, record.getList("timeline.findAll { it.kind == 'FOLLOW_UP' }").size());
        assertEquals(referralId, record.getString("timeline.find { it.kind == 'REFERRAL' && it.referralStatus == 'completed' }.referralId"));
        given().auth().oauth2(counselor).get(referral + "/api/referrals/" + referralId).then().statusCode(200)
                .body("returnSummary.recommendations", org.hamcrest.Matchers.equalTo("建议减轻课业负担，每周与心理教师面谈一次"))
                .body("returnSummary.accommodations", org.hamcrest.Matchers.equalTo(List.of("REDUCED_WORKLOAD")));
        ConsumerRecord<String, String> status = first(kafka, "referral.status.v1",
                r -> r.value().contains(referralId) && "completed".equals(tree(r.value()).path("status").asText()));
        CONTRACTS.assertConforms("referral.status.v1", KafkaProbe.headers(status), status.value());
        assertFalse(status.value().contains("课业负担"), "the recommendations never reach a topic");

        // a counselling session whose private notes carry a marker that must never leave the counsellors of the school
        String planted = "私密笔记标记" + suffix;
        given().auth().oauth2(counselor).contentType("application/json").body(Map.of("heldOn", today.toString(), "minutes", 45, "kind", "INDIVIDUAL",
                        "riskLevel", "HIGH", "safetyConcern", false, "progress", "UNCHANGED", "privateNotes", planted + " 与父母关系紧张"))
                .post(screening + "/api/cases/" + caseId + "/sessions").then().statusCode(201);

        // 5. a "worse" follow-up sends the student back through the green channel
        String week = (String) followUps.stream().filter(f -> ((Number) f.get("afterDays")).intValue() == 7).findFirst().orElseThrow().get("id");
        long worse = System.currentTimeMillis();
        given().auth().oauth2(counselor).contentType("application/json").body(Map.of("outcome", "WORSE", "note", "复学后情绪明显低落，再次提到不想活"))
                .post(screening + "/api/follow-ups/" + week + "/outcome").then().statusCode(200);
        ConsumerRecord<String, String> again = first(kafka, HOSPITAL_TOPIC, r -> !r.key().equals(referralId)
                && HospitalEngine.patientOf(r, engine).contains(name));
        long reReferred = again.timestamp() - worse;
        JsonNode reasons = JSON.readTree(again.value()).path("entry").get(1).path("resource").path("reasonCode");
        assertTrue(reasons.toString().contains("FOLLOW_UP:WORSE"), reasons.toString());
        assertNotEquals(referralId, again.key(), "a new episode, the first one being closed");

        // 6. the city's care-loop report counts the county's follow-up and what it found (a county's report would hide a
        //    single school's 1 as "<5", and its total with it)
        String analyst = Stack.token("analyst.city");
        String reportUrl = Stack.url("reporting-service") + "/api/reports/care-loop?level=city&code=370800&from=" + today.minusDays(1)
                + "&to=" + today.plusDays(40);
        long reported = System.currentTimeMillis();
        Float worseCount = awaitValue(() -> {
            Float v = given().auth().oauth2(analyst).get(reportUrl).then().statusCode(200).extract()
                    .path("tables.find { it.id == 'follow-ups' }.rows.find { it.code == '370811' }.cells[6].value");
            return v != null && v >= 1 ? v : null;
        }, "the county report's WORSE follow-ups");
        long toReport = System.currentTimeMillis() - reported;
        String report = given().auth().oauth2(analyst).get(reportUrl).asString();
        assertTrue(worseCount >= 1);
        assertFalse(report.contains(name) || report.contains(number) || report.contains("不想活"), "no identity and no note in a report");

        // and a case from daily work, with no screening, reaches the hospital through the same green channel
        long opened = System.currentTimeMillis();
        given().auth().oauth2(counselor).contentType("application/json")
                .body(Map.of("studentNumber", dailyNumber, "source", "TEACHER_REPORT", "riskLevel", "HIGH", "note", "班主任发现其在作业本上写下想消失"))
                .post(screening + "/api/schools/" + SCHOOL + "/cases").then().statusCode(201);
        ConsumerRecord<String, String> daily = first(kafka, HOSPITAL_TOPIC, r -> HospitalEngine.patientOf(r, engine).contains(dailyName));
        long dailyToHospital = daily.timestamp() - opened;
        assertTrue(daily.value().contains("DAILY_WORK:TEACHER_REPORT"), "the reason the hospital reads");

        // the private note is nowhere but at the school: no topic, no service log, no report or export
        List<String> leaks = new java.util.ArrayList<>(everyTopicContaining(planted));
        for (String format : List.of("csv", "xlsx", "pdf")) {
            byte[] export = given().auth().oauth2(analyst).get(Stack.url("reporting-service") + "/api/reports/care-loop/export?format=" + format
                    + "&level=city&code=370800").then().statusCode(200).extract().asByteArray();
            if (new String(export, StandardCharsets.UTF_8).contains(planted)) {
                leaks.add("the " + format + " export");
            }
        }
        if (report.contains(planted)) {
            leaks.add("the report");
        }
        try (var logs = java.nio.file.Files.list(java.nio.file.Path.of("target/stack/logs"))) {
            for (java.nio.file.Path log : logs.toList()) {
                if (java.nio.file.Files.readString(log, StandardCharsets.UTF_8).contains(planted)) {
                    leaks.add("log " + log.getFileName());
                }
            }
        }
        assertEquals(List.of(), leaks, "a private session note left the school");
        assertEquals(List.of(), everyTopicContaining(name), "the name is on no topic: the hospital's message carries it sealed");
        assertTrue(everyTopicContaining(referralId).contains(HOSPITAL_TOPIC), "the scan finds what is there (the referral's id)");
        assertTrue(given().auth().oauth2(counselor).get(screening + "/api/cases/" + caseId + "/sessions").asString().contains(planted),
                "the counsellors of the school still read it (the scan would find a note that was never stored)");

        System.out.printf("care loop: item 9 -> CRITICAL case: %d ms; -> FHIR message at the hospital: %d ms; hospital's Task (accepted) -> "
                        + "school sees it: %d ms; Task (completed, 7/30-day plan) -> follow-ups dated: %d ms; \"worse\" -> new FHIR message: %d ms; "
                        + "-> the bureau's report: %d ms; daily-work HIGH case -> FHIR message: %d ms%n",
                toCase, toHospital, acceptedBack, toFollowUps, reReferred, toReport, dailyToHospital);
    }

    /** Every topic of the broker (internal ones aside), read from the beginning to its end: those holding the text. */
    static List<String> everyTopicContaining(String text) throws Exception {
        Map<String, Object> config = Map.of("bootstrap.servers", Stack.get().kafkaBootstrap(), "group.id", "privacy-scan-" + UUID.randomUUID(),
                "enable.auto.commit", "false", "key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName(),
                "value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        java.util.Set<String> found = new java.util.TreeSet<>();
        int topics = 0;
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(config)) {
            List<org.apache.kafka.common.TopicPartition> partitions = new java.util.ArrayList<>();
            for (var topic : consumer.listTopics(Duration.ofSeconds(30)).entrySet()) {
                if (!topic.getKey().startsWith("__")) {
                    topics++;
                    topic.getValue().forEach(p -> partitions.add(new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(120);
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                assertTrue(Instant.now().isBefore(deadline), "the scan reads every topic to its end");
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if (contains(r.value(), needle) || contains(r.key(), needle)) {
                        found.add(r.topic());
                    }
                    for (var h : r.headers()) {
                        if (contains(h.value(), needle)) {
                            found.add(r.topic() + " (header " + h.key() + ")");
                        }
                    }
                }
            }
        }
        assertTrue(topics >= 10, "the scan saw the platform's topics: " + topics);
        return List.copyOf(found);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        if (haystack == null) {
            return false;
        }
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** A hospital's integration engine writes the Task for this referral, with these fields, to its own replies topic. */
    static void reply(KafkaProbe kafka, String referralId, String fields) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode task = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree("""
                {"resourceType":"Task","id":"%s","identifier":[{"system":"https://xinqiao.cn/fhir/NamingSystem/referral","value":"%s"}],
                 "intent":"order","focus":{"reference":"ServiceRequest/%s"},
                 "owner":{"identifier":{"system":"https://xinqiao.cn/fhir/NamingSystem/organization","value":"%s"}}}"""
                .formatted(referralId, referralId, referralId, HOSPITAL));
        task.setAll((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(fields));
        assertEquals(List.of(), CONTRACTS.validateData(REPLIES, task), "the test's Task keeps the contract");
        kafka.sendCloudEvent(REPLIES, referralId, UUID.randomUUID(), "cn.xinqiao.referral.task.v1", task.toString());
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static void awaitStatus(String token, String referral, String id, String status) throws Exception {
        awaitValue(() -> status.equals(given().auth().oauth2(token).get(referral + "/api/referrals/" + id).then().statusCode(200)
                .extract().path("status")) ? Boolean.TRUE : null, "referral " + status);
    }

    static ConsumerRecord<String, String> first(KafkaProbe kafka, String topic, Predicate<ConsumerRecord<String, String>> what) {
        return kafka.readUntil(topic, Duration.ofSeconds(60), rs -> rs.stream().anyMatch(what)).stream().filter(what).findFirst()
                .orElseThrow(() -> new AssertionError("nothing of the kind on " + topic));
    }

    static void await(Supplier<Boolean> done, String what) throws Exception {
        awaitValue(() -> done.get() ? Boolean.TRUE : null, what);
    }

    static <T> T awaitValue(Supplier<T> value, String what) throws Exception {
        return awaitValue(value, () -> what);
    }

    /** The first non-null value within 60 s; {@code what} is asked for only when it did not come (it may say why). */
    static <T> T awaitValue(Supplier<T> value, Supplier<String> what) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            T v = value.get();
            if (v != null) {
                return v;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what.get());
    }
}
