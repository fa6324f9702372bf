package cn.xinqiao.e2e;

import cn.xinqiao.stack.MailServer;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static cn.xinqiao.e2e.CareLoopIT.await;
import static cn.xinqiao.e2e.CareLoopIT.awaitValue;
import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 27 end to end on the real stack (the ladder's window shortened by the build): a CRITICAL paper submission at
 * 任城区实验初级中学 → the partner hospital's first on-call clinician sees the alert appear on an open page (no reload)
 * and gets an e-mail in the stack's SMTP server → nobody acknowledges: the second on-call clinician, then the
 * hospital's lead → the lead opens the link in the e-mail, which acknowledges it → the ladder stops before the bureau.
 * Nothing sent names the student. Who may open the stream.
 */
class NotificationIT {

    private static final String SCHOOL = "S370811002"; // partner hospital H370800001 (on call: clinician.h1, clinician.h1b; lead lead.h1)
    private static final String HOSPITAL = "H370800001";
    private static Playwright playwright;
    private static Browser browser;

    @BeforeAll
    static void up() throws Exception {
        Stack.get();
        com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
        Path chromium = Path.of(System.getProperty("xinqiao.chromium", "/usr/bin/chromium"));
        assertTrue(Files.isExecutable(chromium), "Debian's chromium is needed for the browser tests");
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking")));
    }

    @AfterAll
    static void down() {
        if (playwright != null) {
            playwright.close();
        }
    }

    static Page signIn(BrowserContext context, String web, String path, String user) {
        Page page = context.newPage();
        page.navigate(web + path);
        page.fill("#username", user);
        page.fill("#password", "xinqiao");
        page.click("#kc-login");
        page.waitForURL(Pattern.compile(Pattern.quote(web) + "/staff/.*"));
        assertThat(page.locator("#menu a").first()).isVisible();
        return page;
    }

    static int count(Page page) {
        String text = page.locator("#bell-count").count() == 0 ? "0" : page.locator("#bell-count").textContent().trim();
        return Integer.parseInt(text);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> told(Map<String, Object> alert) {
        return (List<Map<String, Object>>) alert.get("told");
    }

    @Test
    void aCrisisReachesTheOnCallClinicianLiveAndByMailClimbsTheLadderAndStopsWhenTheLeadAcknowledges() throws Exception {
        String web = Stack.url("web");
        String screening = Stack.url("screening-service");
        String notification = Stack.url("notification-service");
        String counselor = Stack.token("counselor.rc2");
        String clinician = Stack.token("clinician.h1");
        MailServer mail = Stack.get().mail();
        String suffix = Long.toString(System.nanoTime() % 1_000_000);
        String number = "NT" + suffix;
        String name = "提醒测试生" + suffix;
        String csv = "学号,姓名,性别,出生日期,年级,班级,监护人,监护人电话\n" + number + "," + name + ",女,2012-04-05,8,提醒1班,提醒家长,13805373333\n";
        String job = given().auth().oauth2(counselor).contentType("text/csv; charset=UTF-8").body(csv.getBytes(StandardCharsets.UTF_8))
                .post(screening + "/api/schools/" + SCHOOL + "/roster-imports").then().statusCode(202).extract().path("id");
        await(() -> "DONE".equals(given().auth().oauth2(counselor).get(screening + "/api/roster-imports/" + job).path("status")), "the roster import");
        String campaign = given().auth().oauth2(counselor).get(screening + "/api/campaigns").then().statusCode(200).extract().path("[0].id");
        given().auth().oauth2(counselor).post(screening + "/api/campaigns/" + campaign + "/access-codes").then().statusCode(200);

        try (BrowserContext context = browser.newContext()) {
            // the on-call clinician's page is open on the inbox
            Page page = signIn(context, web, "/staff/#/inbox", "clinician.h1");
            assertThat(page.locator(".bell")).isVisible();
            page.waitForTimeout(1500); // the stream is connected and the list read
            int before = count(page);

            long submitted = System.currentTimeMillis();
            given().auth().oauth2(counselor).contentType("application/json")
                    .body(Map.of("campaignId", campaign, "instrumentId", "PHQ-A", "answers", List.of(1, 1, 0, 1, 0, 0, 0, 0, 2),
                            "studentNumber", number, "mode", "PAPER", "clientSubmissionId", "notify-" + number))
                    .post(screening + "/api/submissions").then().statusCode(201);

            // step 0: live on the open page, without a reload, and by e-mail
            page.waitForFunction("n => Number((document.getElementById('bell-count') || {}).textContent || 0) > n", before,
                    new Page.WaitForFunctionOptions().setTimeout(30_000));
            long inApp = System.currentTimeMillis() - submitted;
            page.locator(".bell").click();
            assertThat(page.locator(".bell-panel")).containsText("任城区实验初级中学 1 名学生危急转介待接收");
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/notification-bell.png")));
            Instant since = Instant.ofEpochMilli(submitted);
            MailServer.Received first = awaitValue(() -> mail.received().stream().filter(m -> m.receivedAt().isAfter(since.minusSeconds(1))
                    && m.to().contains("clinician.h1@demo.xinqiao.cn") && m.subject().contains("任城区实验初级中学 1 名学生危急转介待接收"))
                    .findFirst().orElse(null), "the on-call clinician's e-mail");
            long byMail = Duration.between(since, first.receivedAt()).toMillis();

            // the alert, as the hospital's delivery log shows it
            String alertId = awaitValue(() -> given().auth().oauth2(clinician).queryParam("orgId", HOSPITAL).queryParam("status", "open")
                    .get(notification + "/api/notifications").then().statusCode(200).extract().jsonPath().getList("$", Map.class).stream()
                    .filter(a -> Instant.parse(((String) a.get("createdAt")).replaceAll("\\+00:00$", "Z")).isAfter(since.minusSeconds(1))
                            && ((String) a.get("title")).startsWith("任城区实验初级中学 1 名学生危急转介待接收"))
                    .map(a -> (String) a.get("alertId")).findFirst().orElse(null), "the alert in the delivery log");
            java.util.function.Supplier<Map<String, Object>> alert = () -> given().auth().oauth2(clinician).queryParam("orgId", HOSPITAL)
                    .queryParam("status", "all").queryParam("limit", 200).get(notification + "/api/notifications").then().statusCode(200).extract()
                    .jsonPath().getList("$", Map.class).stream().filter(a -> alertId.equals(a.get("alertId"))).findFirst().map(a -> (Map<String, Object>) a)
                    .orElseThrow();

            // nobody acknowledges: the second on-call clinician, then the lead
            await(() -> told(alert.get()).size() >= 3, "the ladder reaches the hospital's lead");
            List<Map<String, Object>> steps = told(alert.get());
            assertEquals(List.of("clinician.h1", "clinician.h1b", "lead.h1"), steps.stream().limit(3).map(s -> s.get("recipient")).toList());
            assertEquals(List.of("ON_CALL", "ON_CALL", "LEAD"), steps.stream().limit(3).map(s -> s.get("rung")).toList());

            // the lead opens the link in the e-mail: that acknowledges it, and the ladder stops before the bureau
            String leadNotification = (String) steps.get(2).get("notificationId");
            MailServer.Received leadMail = awaitValue(() -> mail.received().stream().filter(m -> m.to().contains("lead.h1@demo.xinqiao.cn")
                    && m.body().contains(leadNotification)).findFirst().orElse(null), "the lead's e-mail");
            Matcher link = Pattern.compile("(http://\\S+/staff/ack/[0-9a-f-]{36})").matcher(leadMail.body());
            assertTrue(link.find(), leadMail.body());
            try (BrowserContext leadContext = browser.newContext()) {
                Page lead = leadContext.newPage();
                lead.navigate(link.group(1));
                lead.fill("#username", "lead.h1");
                lead.fill("#password", "xinqiao");
                lead.click("#kc-login");
                assertThat(lead.locator("#acked")).containsText("已确认收到");
            }
            await(() -> "lead.h1".equals(alert.get().get("ackedBy")), "the acknowledgement");
            int toldWhenAcknowledged = told(alert.get()).size();
            Thread.sleep(Duration.parse(System.getProperty("xinqiao.notify.ladder-window", "PT6S")).multipliedBy(2).plusSeconds(2).toMillis());
            assertEquals(toldWhenAcknowledged, told(alert.get()).size(), "nobody is told after the acknowledgement");
            assertFalse(told(alert.get()).stream().anyMatch(s -> "BUREAU".equals(s.get("rung"))), "the bureau was not needed");

            // nothing that left the platform for this alert names the student
            for (MailServer.Received m : mail.received()) {
                if (m.receivedAt().isAfter(since.minusSeconds(1))) {
                    assertFalse(m.subject().contains(name) || m.body().contains(name) || m.body().contains(number), "a student in an e-mail");
                }
            }
            assertFalse(page.locator(".bell-panel").innerText().contains(name));
            System.out.printf("notification: submission → in-app on the open page %d ms, → e-mail %d ms; ladder %s, acknowledged by %s%n",
                    inApp, byMail, told(alert.get()).stream().map(s -> s.get("rung") + ":" + s.get("recipient")).toList(), alert.get().get("ackedBy"));
        }
    }

    @Test
    void onlyStaffOpenTheStreamAndAnotherHospitalsRotaAndLogAreClosed() throws Exception {
        String notification = Stack.url("notification-service");
        given().get(notification + "/api/notifications/stream").then().statusCode(401);
        given().auth().oauth2(Stack.token("auditor")).get(notification + "/api/notifications/stream").then().statusCode(403);
        given().auth().oauth2(Stack.token("clinician.h2")).get(notification + "/api/on-call/" + HOSPITAL).then().statusCode(403);
        given().auth().oauth2(Stack.token("clinician.h2")).queryParam("orgId", HOSPITAL).get(notification + "/api/notifications").then().statusCode(403);
        given().auth().oauth2(Stack.token("clinician.h1")).get(notification + "/api/on-call/" + HOSPITAL).then().statusCode(200)
                .body("contacts.username", org.hamcrest.Matchers.equalTo(List.of("clinician.h1", "clinician.h1b"))).body("lead", org.hamcrest.Matchers.equalTo("lead.h1"));
    }
}
