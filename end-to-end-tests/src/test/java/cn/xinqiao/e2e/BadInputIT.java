package cn.xinqiao.e2e;

import cn.xinqiao.stack.PostgresServer;
import cn.xinqiao.testing.KafkaProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static cn.xinqiao.e2e.Endpoints.*;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8's bad-input run against the real stack. Every operation of the four OpenAPI documents that takes a body
 * gets the committed corpus ({@code src/test/resources/bad-input/}: malformed JSON, wrong top-level types, invalid
 * UTF-8 and UTF-16, lone surrogates, prototype-pollution keys, …), generated cases (deep nesting, a 5 MB body, the
 * wrong content type, an empty body) and its own semantic cases ({@code semantic.json}: missing and extra fields,
 * out-of-range answers, impossible dates, another tenant's ids); every query parameter gets a hostile value; the
 * roster and paper-CSV imports get broken rows, formula injection, wrong encodings and a corrupt XLSX. Each answer
 * must be a 4xx problem+json without a stack trace or the personal data sent; and afterwards no domain row and no
 * event exists that was not there before. Malformed Kafka records on every consumed topic must reach the
 * consumer's dead-letter topic with a reason.
 */
class BadInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Personal data planted in bad input: it must never come back in an answer. */
    private static final String PII = "王小明PII";
    private static final List<String> JSON_CORPUS = List.of("truncated.json", "not-json.txt", "array.json", "null.json", "string.json",
            "trailing-comma.json", "single-quotes.json", "nan.json", "huge-exponent.json", "lone-surrogate.json", "nul-escape.json",
            "two-documents.json", "comment.json", "utf16.json", "invalid-utf8.json", "prototype-pollution.json", "unicode-rlo-emoji.json");
    /** Query parameters that are free text by design (a filter that matches nothing is a valid question). */
    private static final Set<String> FREE_TEXT = Set.of("actor", "resource", "resourceId", "className");

    private static final Map<String, Set<String>> DOMAIN_TABLES = Map.of(
            "screening", Set.of("submission", "student", "campaign", "access_code", "risk_case", "risk_case_note", "case_step", "counselling_session",
                    "follow_up", "consent_notice", "guardian_consent", "guardian_link", "erasure_request", "instrument_version"),
            "referral", Set.of("referral", "referral_request", "referral_transition", "guardian_notification", "partnership", "hospital",
                    "subject_key", "erasure_applied"),
            "hotline", Set.of("call_record", "shift", "shift_member", "emergency_escalation", "handover_note"),
            "reporting", Set.of("activity", "staff_member", "training_attendance", "outreach_item", "inspection",
                    "rectification_item", "rectification_step"),
            "notification", Set.of("on_call_rota", "on_call_contact", "contact_preference"));

    private final List<String> failures = new ArrayList<>();
    private int tried;

    @BeforeAll
    static void up() throws Exception {
        Stack.get();
    }

    @Test
    void everyEndpointRefusesBadInputWithAProblemAndStoresNothing() throws Exception {
        List<Operation> operations = operations();
        List<Principal> users = users();
        fixtures();
        String screening = Stack.url("screening-service");
        String counselor = Stack.token("counselor.jn1");
        String studentA = given().auth().oauth2(counselor).get(screening + "/api/campaigns/" + campaignId + "/access-codes?grade=10&className=1班")
                .then().statusCode(200).extract().path("[0].studentNumber");
        // a student of another school (兖州区实验初级中学) whose number school A does not use (numbers are per school)
        List<String> numbersA = given().auth().oauth2(counselor).get(screening + "/api/schools/" + A.school() + "/students")
                .then().statusCode(200).extract().path("studentNumber");
        List<String> numbersOther = given().auth().oauth2(Stack.token("counselor.yz2")).get(screening + "/api/schools/S370812002/students")
                .then().statusCode(200).extract().path("studentNumber");
        String studentB = numbersOther.stream().filter(n -> !numbersA.contains(n)).findFirst()
                .orElseThrow(() -> new AssertionError("the demo city has a student number school A does not use"));
        // an open call for the autosave cases (made before the snapshot: the bad input must not change it)
        String call = given().auth().oauth2(Stack.token("operator.hl")).contentType("application/json").body("{}")
                .post(Stack.url("hotline-service") + "/api/calls").then().statusCode(201).extract().path("id");
        Map<String, String> fill = Map.of("${campaign}", campaignId, "${student}", studentA, "${otherStudent}", studentB,
                "${long}", PII.repeat(400), "${huge}", "x".repeat(20_001));
        JsonNode semantic = JSON.readTree(resource("semantic.json"));

        Map<String, Long> before = snapshot();
        for (Operation op : operations) {
            Principal caller = users.stream().filter(u -> op.isPublic() ? u.role() == null && u.token() == null
                    : u.role() != null && !u.role().equals("student") && (op.roles().isEmpty() || op.roles().contains(u.role()))
                    && (u.scope() == Scope.CITY || A.equals(u.home()))).findFirst().orElse(null);
            if (caller == null) {
                continue; // only the referral-dispatcher service account may call it; the matrix proves everyone else is refused
            }
            Request request = request(op, op.path().contains("{kind}") ? "screening" : null, caller, A);
            if (op.path().startsWith("/api/calls/{id}")) {
                request = new Request(request.service(), request.method(), op.path().replace("{id}", call), request.query(), request.broken(), request.target());
            }
            String label = op.method() + " " + op.path();
            if (op.hasBody() && !isUpload(op)) {
                for (String file : JSON_CORPUS) {
                    check(label + " <- " + file, request.send(caller.token(), Map.of(), "application/json", resource("json/" + file)));
                }
                check(label + " <- 100,000 levels of nesting", request.send(caller.token(), Map.of(), "application/json",
                        ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.US_ASCII)));
                check(label + " <- 5 MB", request.send(caller.token(), Map.of(), "application/json",
                        ("{\"notes\": \"" + PII + "x".repeat(5 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8)));
                check(label + " <- text/plain", request.send(caller.token(), Map.of(), "text/plain", "{}".getBytes(StandardCharsets.UTF_8)));
                check(label + " <- empty body", request.send(caller.token(), Map.of(), "application/json", new byte[0]));
                for (JsonNode c : semantic.path(label)) {
                    String body = c.path("body").toString();
                    for (Map.Entry<String, String> f : fill.entrySet()) {
                        body = body.replace(f.getKey(), f.getValue());
                    }
                    check(label + " <- " + c.path("case").asText(), request.send(caller.token(), Map.of(), "application/json", body.getBytes(StandardCharsets.UTF_8)));
                }
            }
            for (JsonNode param : op.parameters()) {
                if ("query".equals(param.path("in").asText())) {
                    String name = param.path("name").asText();
                    Response answer = request.send(caller.token(), Map.of(name, PII + "'\"<>;--"), request.broken() ? "application/json" : null,
                            request.broken() ? "{}".getBytes(StandardCharsets.UTF_8) : null);
                    if (FREE_TEXT.contains(name)) {
                        checkSafe(label + " ?" + name + "=hostile", answer);
                    } else {
                        check(label + " ?" + name + "=hostile", answer);
                    }
                }
            }
        }
        uploads(counselor);
        Map<String, Long> after = snapshot();

        System.out.printf("bad input: %d cases tried, %d failures%n", tried, failures.size());
        failures.forEach(f -> System.out.println("  FAILED " + f));
        Map<String, String> changed = new LinkedHashMap<>();
        before.forEach((table, count) -> {
            if (!count.equals(after.get(table))) {
                changed.put(table, count + " -> " + after.get(table));
            }
        });
        System.out.println("  stored by bad input (rows or events that were not there before): " + (changed.isEmpty() ? "none" : changed));
        assertTrue(tried > 400, "the corpus ran: " + tried);
        assertEquals(List.of(), failures);
        assertEquals(Map.of(), changed, "bad input stored nothing");
    }

    private static final String REPLIES = "referral.hospital.H370800001.replies.v1";

    @Test
    void malformedKafkaRecordsReachEveryConsumersDeadLetterTopic() throws Exception {
        Map<String, String> types = Map.ofEntries(
                Map.entry("referral.status.v1", "cn.xinqiao.referral.status.v1"),
                Map.entry("referral.requests.v1", "cn.xinqiao.referral.request.v1"),
                Map.entry("directory.schools.v1", "cn.xinqiao.directory.school.v1"),
                Map.entry("directory.campaigns.v1", "cn.xinqiao.directory.campaign.v1"),
                Map.entry("directory.hospitals.v1", "cn.xinqiao.referral.hospital.v1"),
                Map.entry("screening.results.v1", "cn.xinqiao.screening.result.v1"),
                Map.entry("hotline.calls.v1", "cn.xinqiao.hotline.call.v1"),
                Map.entry("screening.casework.v1", "cn.xinqiao.screening.casework.v1"),
                Map.entry("hotline.callbacks.v1", "cn.xinqiao.hotline.callback.v1"),
                Map.entry("hotline.coverage.v1", "cn.xinqiao.hotline.coverage.v1"),
                Map.entry("hotline.shifts.v1", "cn.xinqiao.hotline.shift.v1"),
                Map.entry("screening.security.v1", "cn.xinqiao.screening.security.v1"),
                Map.entry("screening.erasures.v1", "cn.xinqiao.screening.erasure.v1"),
                Map.entry(REPLIES, "cn.xinqiao.referral.task.v1"));
        Map<String, List<String>> consumers = Map.ofEntries(
                Map.entry("referral.status.v1", List.of("screening-service", "reporting-service", "notification-service")),
                Map.entry("referral.requests.v1", List.of("referral-service")),
                Map.entry("directory.schools.v1", List.of("reporting-service", "notification-service")),
                Map.entry("directory.campaigns.v1", List.of("reporting-service")),
                Map.entry("directory.hospitals.v1", List.of("reporting-service", "notification-service")),
                Map.entry("screening.results.v1", List.of("reporting-service")),
                Map.entry("hotline.calls.v1", List.of("reporting-service", "notification-service")),
                Map.entry("screening.casework.v1", List.of("reporting-service", "notification-service")),
                Map.entry("hotline.callbacks.v1", List.of("reporting-service")),
                Map.entry("hotline.coverage.v1", List.of("notification-service")),
                Map.entry("hotline.shifts.v1", List.of("notification-service")),
                Map.entry("screening.security.v1", List.of("notification-service")),
                Map.entry("screening.erasures.v1", List.of("referral-service", "hotline-service", "reporting-service")),
                Map.entry(REPLIES, List.of("referral-service")));
        KafkaProbe kafka = new KafkaProbe(Stack.get().kafkaBootstrap());
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (Map.Entry<String, String> topic : types.entrySet()) {
            String marker = "bad-" + UUID.randomUUID();
            String key = "bad-input-" + marker;
            kafka.sendCloudEvent(topic.getKey(), key, UUID.randomUUID(), topic.getValue(), "not json " + marker);
            kafka.sendCloudEvent(topic.getKey(), key, UUID.randomUUID(), topic.getValue(), "{\"unexpected\": \"" + marker + "\", \"schoolId\": 42}");
            kafka.sendCloudEvent(topic.getKey(), key, UUID.randomUUID(), topic.getValue(), "[\"" + marker + "\"]");
            kafka.send(topic.getKey(), key, "{\"headerless\": \"" + marker + "\"}", Map.of());
            for (String service : consumers.get(topic.getKey())) {
                // a hospital's replies topic is one of many read by pattern: their dead letters share one topic
                expected.put(topic.getKey().equals(REPLIES) ? "referral-service.referral.hospital.replies.v1.dlq"
                        : service + "." + topic.getKey() + ".dlq", List.of(marker));
            }
        }
        int records = 0;
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, List<String>> dlq : expected.entrySet()) {
            String marker = dlq.getValue().get(0);
            List<ConsumerRecord<String, String>> read = kafka.readUntil(dlq.getKey(), Duration.ofSeconds(90),
                    rs -> rs.stream().filter(r -> r.value() != null && r.value().contains(marker)).count() >= 4);
            List<ConsumerRecord<String, String>> mine = read.stream().filter(r -> r.value() != null && r.value().contains(marker)).toList();
            records += mine.size();
            if (mine.size() != 4) {
                missing.add(dlq.getKey() + ": " + mine.size() + " of 4");
            }
            for (ConsumerRecord<String, String> r : mine) {
                if (KafkaProbe.header(r, "dead-letter-reason") == null) {
                    missing.add(dlq.getKey() + ": a record without its reason");
                }
            }
        }
        System.out.printf("malformed Kafka records: %d sent to %d topics, %d dead-lettered across %d consumers' topics; missing: %s%n",
                types.size() * 4, types.size(), records, expected.size(), missing);
        assertEquals(List.of(), missing);
    }

    // ---- uploads -------------------------------------------------------------------------------------------------------

    private void uploads(String counselor) throws Exception {
        String screening = Stack.url("screening-service");
        Map<String, String> roster = Map.of("roster-broken-rows.csv", "text/csv", "roster-formula-injection.csv", "text/csv",
                "roster-random-bytes.csv", "text/csv", "roster-utf16-header-only.csv", "text/csv", "roster-empty.csv", "text/csv",
                "roster-corrupt.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        for (Map.Entry<String, String> file : roster.entrySet()) {
            String label = "roster import <- " + file.getKey();
            Response answer = given().auth().oauth2(counselor).contentType(file.getValue()).body(resource("csv/" + file.getKey()))
                    .post(screening + "/api/schools/" + A.school() + "/roster-imports");
            tried++;
            if (answer.statusCode() >= 400) {
                check(label, answer);
                tried--;
                continue;
            }
            String id = answer.path("id");
            JsonNode job = null;
            for (int i = 0; i < 100; i++) {
                job = JSON.readTree(given().auth().oauth2(counselor).get(screening + "/api/roster-imports/" + id).asString());
                if (Set.of("DONE", "FAILED").contains(job.path("status").asText())) {
                    break;
                }
                Thread.sleep(100);
            }
            if (job.path("createdRows").asInt() != 0 || job.path("updatedRows").asInt() != 0) {
                failures.add(label + ": stored rows " + job);
            }
            if (!"FAILED".equals(job.path("status").asText()) && job.path("errorRows").asInt() == 0) {
                failures.add(label + ": no row reported as an error " + job);
            }
            if (job.toString().contains("Exception")) {
                failures.add(label + ": an exception in the job's errors " + job);
            }
        }
        String label = "paper CSV <- paper-broken-rows.csv";
        Response answer = given().auth().oauth2(counselor).contentType("text/csv").body(resource("csv/paper-broken-rows.csv"))
                .post(screening + "/api/campaigns/" + campaignId + "/paper-submissions");
        tried++;
        if (answer.statusCode() >= 400) {
            tried--;
            check(label, answer);
        } else if (answer.jsonPath().getInt("stored") != 0 || answer.jsonPath().getInt("failed") != answer.jsonPath().getInt("rows")) {
            failures.add(label + ": " + answer.asString());
        }
    }

    private static boolean isUpload(Operation op) {
        return op.path().endsWith("/roster-imports") || op.path().endsWith("/paper-submissions");
    }

    // ---- checks ----------------------------------------------------------------------------------------------------------

    /** A 4xx problem+json, safe to show. */
    private void check(String label, Response answer) {
        tried++;
        int status = answer.statusCode();
        if (status < 400 || status >= 500) {
            failures.add(label + ": " + status + " " + abbreviate(answer.asString()));
            return;
        }
        checkSafe(label, answer);
    }

    /** Never a 5xx; an error is problem+json; nothing sent back that should not be. */
    private void checkSafe(String label, Response answer) {
        if (answer.statusCode() < 400) {
            if (answer.asString().contains(PII)) {
                failures.add(label + ": echoes the personal data sent");
            }
            return;
        }
        String body = answer.asString();
        String type = answer.contentType();
        if (answer.statusCode() >= 500) {
            failures.add(label + ": " + answer.statusCode());
        } else if (type == null || !type.startsWith("application/problem+json")) {
            failures.add(label + ": " + answer.statusCode() + " as " + type + " " + abbreviate(body));
        } else if (body.contains(PII) || body.contains("Exception") || body.contains("\tat ") || body.contains("java.") || body.contains("jakarta.")) {
            failures.add(label + ": unsafe details " + abbreviate(body));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = BadInputIT.class.getResourceAsStream("/bad-input/" + name)) {
            if (in == null) {
                throw new IOException("missing corpus file " + name);
            }
            return in.readAllBytes();
        }
    }

    /** Row counts of the domain tables and the outbox's last sequence number, per service database. */
    private static Map<String, Long> snapshot() throws Exception {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (Map.Entry<String, Set<String>> db : DOMAIN_TABLES.entrySet()) {
            try (Connection c = DriverManager.getConnection(Stack.get().jdbcUrl(db.getKey()), PostgresServer.OPERATOR_USER, PostgresServer.OPERATOR_PASSWORD)) {
                for (String table : db.getValue()) {
                    try (ResultSet rs = c.createStatement().executeQuery("select count(*) from " + table)) {
                        rs.next();
                        counts.put(db.getKey() + "." + table, rs.getLong(1));
                    }
                }
                // the clocks' events (an overdue step escalated, tomorrow's hotline gaps) come with time, not with input
                try (ResultSet rs = c.createStatement().executeQuery("select coalesce(max(seq), 0) from outbox where topic <> 'hotline.coverage.v1'"
                        + " and not (topic = 'screening.casework.v1' and payload->>'kind' in ('STEP_OVERDUE', 'FOLLOW_UP_OVERDUE'))")) {
                    rs.next();
                    counts.put(db.getKey() + ".outbox (last event)", rs.getLong(1));
                }
            }
        }
        return counts;
    }
}
