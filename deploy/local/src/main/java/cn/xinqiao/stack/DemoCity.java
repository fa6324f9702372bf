package cn.xinqiao.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Loads the demo city (济宁市 370800: 任城区 370811 and 兖州区 370812, four schools with a few hundred
 * generated students, two hospitals with partnerships) through the services' own APIs, as the
 * {@code xinqiao-loader} service account (platform-admin). Every call is an idempotent upsert, so a
 * half-finished load is simply repeated on the next start.
 */
public final class DemoCity {

    public static final String HOTLINE = "0537-5151885";

    public static final String CAMPAIGN_NAME = "2026 秋季学期心理健康筛查 / Autumn 2026 screening";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LocalStack stack;
    private final Consumer<String> progress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String token;

    private DemoCity(LocalStack stack, Consumer<String> progress) {
        this.stack = stack;
        this.progress = progress;
    }

    public static void loadOnce(LocalStack stack, Path dataDir, Consumer<String> progress) throws Exception {
        Path marker = dataDir.resolve("demo-city.loaded");
        if (Files.exists(marker)) {
            progress.accept("demo city already loaded (delete " + marker + " to load it again)");
            return;
        }
        new DemoCity(stack, progress).load();
        Files.writeString(marker, Instant.now() + "\n");
    }

    private void load() throws Exception {
        token = DemoTokens.loader(http, stack.issuer());
        String screening = stack.app("screening-service").url();
        String referral = stack.app("referral-service").url();
        progress.accept("demo city: hospitals and partnerships (referral-service)");
        put(referral + "/api/hospitals/H370800001", Map.of("name", "济宁市精神卫生中心", "districtCode", "370800", "greenChannelPhone", "0537-2213120"));
        put(referral + "/api/hospitals/H370800002", Map.of("name", "济宁医学院附属医院", "districtCode", "370800", "greenChannelPhone", "0537-2903120"));
        put(referral + "/api/partnerships/county/370811", Map.of("hospitalId", "H370800001", "backupHospitalId", "H370800002"));
        put(referral + "/api/partnerships/county/370812", Map.of("hospitalId", "H370800002", "backupHospitalId", "H370800001"));
        Random random = new Random(370800);
        int students = 0;
        Map<String, String> born = new java.util.HashMap<>(); // student number → birth date: the second thing a student types
        for (DemoRoster.DemoSchool school : DemoRoster.SCHOOLS) {
            put(screening + "/api/schools/" + school.id(), Map.of("name", school.name(), "districtCode", school.districtCode(), "stage", school.stage()));
            String csv = DemoRoster.roster(school, random);
            students += csv.split("\n").length - 1;
            csv.lines().skip(1).map(line -> line.split(",")).forEach(cells -> born.put(school.id() + "/" + cells[0], cells[3]));
            progress.accept("demo city: roster of " + school.name() + " (" + school.id() + ")");
            importRoster(screening, school.id(), csv);
        }
        onCall(); // before the students answer: a crisis among them reaches the hospital's on-call clinician at once
        progress.accept("demo city: the autumn screening campaign (PHQ-A, GAD-7, ASQ; all grades; open 30 days)");
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
        String campaign = JSON.readTree(send(HttpRequest.newBuilder(URI.create(screening + "/api/campaigns"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                        "name", CAMPAIGN_NAME, "instruments", List.of("PHQ-A", "GAD-7", "ASQ"),
                        "schoolIds", DemoRoster.SCHOOLS.stream().map(DemoRoster.DemoSchool::id).toList(), "grades", List.of(7, 8, 9, 10, 11, 12),
                        "opensAt", now.minusHours(1).toString(), "closesAt", now.plusDays(30).toString()))))).body())
                .path("id").asText();
        consents(screening, random);
        int answered = answers(screening, campaign, random, born);
        activities(stack.app("reporting-service").url(), random);
        hotlineRoster(now);
        progress.accept("demo city loaded: 2 counties, " + DemoRoster.SCHOOLS.size() + " schools, " + students + " students (" + answered
                + " have answered online), 2 hospitals, 1 open campaign, this semester's activities, a week of hotline shifts,"
                + " on-call lists with e-mail to the local SMTP server");
    }

    /**
     * Guardian consent, as a school gathers it: each school's counsellor issues the guardians' links (the realm's demo
     * counsellor of that school), and most guardians agree online; a few decline, a few have not answered yet (their
     * children under 14 cannot take part until they do).
     */
    private void consents(String screening, Random random) throws Exception {
        progress.accept("demo city: guardians answer the consent notice through their links (most agree, a few decline)");
        String saved = token;
        try {
            for (DemoRoster.DemoSchool school : DemoRoster.SCHOOLS) {
                token = userToken(school.counsellor());
                for (JsonNode link : JSON.readTree(send(HttpRequest.newBuilder(URI.create(screening + "/api/schools/" + school.id()
                        + "/guardian-links")).POST(HttpRequest.BodyPublishers.noBody())).body())) {
                    int roll = random.nextInt(100);
                    if (link.path("grade").asInt() == school.firstGrade() && "1班".equals(link.path("className").asText())) {
                        roll = 0; // the class still to have its session (the end-to-end tests' class): every guardian agreed
                    }
                    if (roll >= 92) {
                        continue; // no answer yet (under 14: not screened until the guardian answers)
                    }
                    anonymous(HttpRequest.newBuilder(URI.create(screening + "/api/guardian-consents")).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("code", link.path("code").asText(),
                                    "decision", roll < 88 ? "GRANTED" : "DECLINED", "noticeVersion", 1)))), null);
                }
            }
        } finally {
            token = saved;
        }
    }

    /**
     * About 70 % of each school's students answer PHQ-A and GAD-7 through the student API, as they would on
     * their phones; a few answer item 9 (which sends them to the green channel and the hospital's inbox).
     * Class 1 of each school's first grade has not had its session yet (the end-to-end test uses it).
     */
    private int answers(String screening, String campaign, Random random, Map<String, String> born) throws Exception {
        progress.accept("demo city: students answer the questionnaires online (student access codes → submissions)");
        int answered = 0;
        for (DemoRoster.DemoSchool school : DemoRoster.SCHOOLS) {
            for (JsonNode slip : JSON.readTree(send(HttpRequest.newBuilder(URI.create(screening + "/api/campaigns/" + campaign
                    + "/access-codes?schoolId=" + school.id())).GET()).body())) {
                boolean pending = slip.path("grade").asInt() == school.firstGrade() && "1班".equals(slip.path("className").asText());
                if (pending || random.nextInt(10) >= 7) {
                    continue;
                }
                HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(screening + "/api/student-sessions"))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(
                                JSON.writeValueAsString(Map.of("accessCode", slip.path("accessCode").asText(),
                                        "birthDate", born.get(school.id() + "/" + slip.path("studentNumber").asText()))))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (login.statusCode() == 403) {
                    continue; // the guardian declined, or (under 14) has not answered yet
                }
                if (login.statusCode() != 201) {
                    throw new IllegalStateException("demo student login -> " + login.statusCode());
                }
                String session = JSON.readTree(login.body()).path("token").asText();
                int mood = random.nextInt(100); // most students are fine, some are struggling, a few are in crisis
                int level = mood < 60 ? 0 : mood < 85 ? 1 : mood < 97 ? 2 : 3;
                int[] phq = new int[9];
                for (int i = 0; i < 8; i++) {
                    phq[i] = Math.min(3, Math.max(0, level + random.nextInt(3) - 1));
                }
                phq[8] = level == 3 ? 1 + random.nextInt(2) : 0;
                int[] gad = new int[7];
                for (int i = 0; i < 7; i++) {
                    gad[i] = Math.min(3, Math.max(0, level + random.nextInt(3) - 1));
                }
                for (Map.Entry<String, int[]> answer : Map.of("PHQ-A", phq, "GAD-7", gad).entrySet()) {
                    anonymous(HttpRequest.newBuilder(URI.create(screening + "/api/submissions")).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("campaignId", campaign,
                                    "instrumentId", answer.getKey(), "answers", answer.getValue(),
                                    "clientSubmissionId", UUID.randomUUID().toString())))), session);
                }
                answered++;
            }
        }
        return answered;
    }

    /** This semester's lectures and group counselling sessions; one school is behind, as some always are. */
    private void activities(String reporting, Random random) throws Exception {
        progress.accept("demo city: this semester's mental-health lectures and group counselling sessions (reporting-service)");
        LocalDate today = LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
        LocalDate start = today.getMonthValue() >= 9 ? today.withMonth(9).withDayOfMonth(1)
                : today.getMonthValue() == 1 ? today.minusYears(1).withMonth(9).withDayOfMonth(1) : today.withMonth(2).withDayOfMonth(1);
        long days = Math.max(1, java.time.temporal.ChronoUnit.DAYS.between(start, today));
        for (int s = 0; s < DemoRoster.SCHOOLS.size(); s++) {
            DemoRoster.DemoSchool school = DemoRoster.SCHOOLS.get(s);
            int groups = s == DemoRoster.SCHOOLS.size() - 1 ? 1 : 4;
            record(reporting, school.id(), "LECTURE", start.plusDays(random.nextInt((int) days)), "心理健康专题讲座：认识情绪，学会求助", 300);
            for (int g = 0; g < groups; g++) {
                record(reporting, school.id(), "GROUP_COUNSELLING", start.plusDays(random.nextInt((int) days)),
                        "团体心理辅导：" + new String[]{"考试压力应对", "人际交往", "情绪管理", "生涯规划"}[g], 12);
            }
        }
        send(HttpRequest.newBuilder(URI.create(reporting + "/api/activities")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("kind", "TEACHER_TRAINING",
                        "districtCode", "370800", "heldOn", start.plusDays(days / 2).toString(), "title", "全市心理健康教育教师培训",
                        "participants", 86)))));
    }

    private void record(String reporting, String schoolId, String kind, LocalDate on, String title, int participants) throws Exception {
        send(HttpRequest.newBuilder(URI.create(reporting + "/api/activities")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("kind", kind, "schoolId", schoolId,
                        "heldOn", on.toString(), "title", title, "participants", participants)))));
    }

    /** A request with the given token (a student's session, or none); a failure names the request and its answer. */
    private HttpResponse<String> anonymous(HttpRequest.Builder request, String bearer) throws IOException, InterruptedException {
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " -> "
                    + response.statusCode() + " " + response.body());
        }
        return response;
    }

    /** A week of hotline shifts (Beijing time): day 08–20 operator + supervisor, night 20–08 operator only. */
    private void hotlineRoster(java.time.OffsetDateTime now) throws Exception {
        progress.accept("demo city: a week of 24-hour hotline shifts (hotline-service)");
        String hotline = stack.app("hotline-service").url();
        String supervisorToken = userToken("supervisor.hl");
        String supervisor = subject(hotline, supervisorToken);
        String operator = subject(hotline, userToken("operator.hl"));
        java.time.ZonedDateTime day = now.atZoneSameInstant(java.time.ZoneId.of("Asia/Shanghai")).toLocalDate()
                .atTime(8, 0).atZone(java.time.ZoneId.of("Asia/Shanghai")).minusDays(1);
        String saved = token;
        token = supervisorToken;
        try {
            for (int d = 0; d < 8; d++, day = day.plusDays(1)) {
                shift(hotline, day, day.plusHours(12), List.of(Map.of("subject", operator, "displayName", "值班接线员", "role", "OPERATOR"),
                        Map.of("subject", supervisor, "displayName", "值班督导", "role", "SUPERVISOR")));
                shift(hotline, day.plusHours(12), day.plusHours(24), List.of(Map.of("subject", operator, "displayName", "夜班接线员", "role", "OPERATOR")));
            }
        } finally {
            token = saved;
        }
    }

    private void shift(String hotline, java.time.ZonedDateTime from, java.time.ZonedDateTime to, List<Map<String, String>> members) throws Exception {
        send(HttpRequest.newBuilder(URI.create(hotline + "/api/shifts")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("startsAt", from.toOffsetDateTime().toString(),
                        "endsAt", to.toOffsetDateTime().toString(), "members", members)))));
    }

    private String subject(String service, String userToken) throws Exception {
        String saved = token;
        token = userToken;
        try {
            return JSON.readTree(send(HttpRequest.newBuilder(URI.create(service + "/api/me")).GET()).body()).path("subject").asText();
        } finally {
            token = saved;
        }
    }

    /** Who is told when something needs a person (notification-service): {@link DemoOnCall}. */
    private void onCall() throws Exception {
        progress.accept("demo city: on-call lists and contact preferences (notification-service)");
        DemoOnCall.load(stack.app("notification-service").url(), (url, body, user) -> {
            String saved = token;
            try {
                token = user == null ? saved : userToken(user);
                put(url, body);
            } finally {
                token = saved;
            }
        });
    }

    /** A demo user's token (password grant of the public CLI client; demo password). */
    private String userToken(String user) throws Exception {
        return DemoTokens.user(http, stack.issuer(), user);
    }

    private void importRoster(String screening, String schoolId, String csv) throws Exception {
        HttpResponse<String> accepted = send(HttpRequest.newBuilder(URI.create(screening + "/api/schools/" + schoolId + "/roster-imports"))
                .header("Content-Type", "text/csv; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(csv, StandardCharsets.UTF_8)));
        String location = accepted.headers().firstValue("Location").orElseThrow();
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            JsonNode job = JSON.readTree(send(HttpRequest.newBuilder(URI.create(screening + "/").resolve(location)).GET()).body());
            String status = job.path("status").asText();
            if (status.equals("DONE")) {
                if (job.path("errorRows").asInt() > 0) {
                    throw new IllegalStateException("demo roster of " + schoolId + " has row errors: " + job.path("errors"));
                }
                return;
            }
            if (status.equals("FAILED")) {
                throw new IllegalStateException("demo roster of " + schoolId + " failed: " + job.path("errors"));
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("demo roster of " + schoolId + " did not finish in 2 minutes");
    }

    private void put(String url, Map<String, ?> body) throws Exception {
        send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** A request with the loader's current token. */
    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return anonymous(request, token);
    }
}
