package cn.xinqiao.notification.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TriggersTest {

    final Triggers triggers = new Triggers(id -> Map.of("S370811001", "济宁市第一中学").getOrDefault(id, id));

    Triggers.ReferralChange referral(String risk, String status, String business, String escalation, String reason) {
        return new Triggers.ReferralChange("r", "H370800001", "S370811001", "370811", risk, status, business, escalation, reason);
    }

    @Test
    void aNewReferralTellsTheHospitalInTheIssuesWords() {
        List<AlertSpec> specs = triggers.referral(referral("CRITICAL", "requested", "routed", null, null));
        assertEquals(1, specs.size());
        assertEquals("济宁市第一中学 1 名学生危急转介待接收 — 请登录心桥查看", specs.get(0).title());
        assertEquals(Severity.CRITICAL, specs.get(0).severity());
        assertEquals("H370800001", specs.get(0).orgId());
        assertEquals(Severity.HIGH, triggers.referral(referral("HIGH", "requested", "routed", null, null)).get(0).severity());
        assertEquals(List.of(), triggers.referral(referral("CRITICAL", "accepted", "accepted", null, null)), "the hospital acting is not news to it");
    }

    @Test
    void lateAndDeclinedReferralsGoToTheBureauAndDeclinedOnesToTheSchoolToo() {
        List<AlertSpec> late = triggers.referral(referral("HIGH", "requested", "escalated", "BUREAU_ALERT", "acknowledge-overdue:4h"));
        assertEquals(List.of("BUREAU:370811:REFERRAL_ACK_OVERDUE"), late.stream().map(s -> s.orgKind() + ":" + s.orgId() + ":" + s.kind()).toList());
        List<AlertSpec> declined = triggers.referral(referral("CRITICAL", "rejected", "escalated", "BUREAU_ALERT", "declined-no-backup"));
        assertEquals(List.of("BUREAU", "SCHOOL"), declined.stream().map(s -> s.orgKind().name()).toList());
        assertTrue(declined.stream().allMatch(s -> s.severity() == Severity.CRITICAL));
        List<AlertSpec> backup = triggers.referral(referral("HIGH", "requested", "escalated", "BACKUP_HOSPITAL", "acknowledge-overdue"));
        assertEquals("REFERRAL_BACKUP", backup.get(0).kind());
    }

    @Test
    void whatTheSchoolOrTheHospitalDidSettlesOnlyTheAlertsAboutIt() {
        assertEquals(List.of("REFERRAL_NEW", "REFERRAL_MERGED", "REFERRAL_BACKUP"), Triggers.settledBy(referral("CRITICAL", "accepted", "accepted", null, null)));
        assertEquals(List.of(), Triggers.settledBy(referral("CRITICAL", "requested", "routed", null, null)));
        assertEquals(List.of("REFERRAL_NEW", "REFERRAL_MERGED"), Triggers.settledBy(referral("CRITICAL", "requested", "escalated", "BACKUP_HOSPITAL",
                "acknowledge-overdue")), "moved to the backup hospital: the first hospital's alert stops climbing");
        assertEquals(List.of(), Triggers.settledBy(referral("CRITICAL", "requested", "escalated", "BUREAU_ALERT", "acknowledge-overdue")),
                "the bureau is told, and it is still the hospital's to take");
        assertEquals(List.of(new Triggers.Settled("c", "CASE_CRITICAL"), new Triggers.Settled("c:GUARDIAN_CONTACTED", "STEP_OVERDUE")),
                Triggers.settledBy(new Triggers.CaseChange("STEP_RECORDED", "c", "S370811001", "370811", "CRITICAL", false, null, true,
                        "GUARDIAN_CONTACTED")));
        assertEquals(3, Triggers.settledBy(new Triggers.CaseChange("CLOSED", "c", "S370811001", "370811", "CRITICAL", false, null, false, null)).size());
    }

    @Test
    void casesHotlineAndRosterGaps() {
        assertEquals("CASE_CRITICAL", triggers.casework(new Triggers.CaseChange("SCHEDULED", "c", "S370811001", "370811", "CRITICAL", true, null,
                true, null)).get(0).kind());
        assertEquals(List.of(), triggers.casework(new Triggers.CaseChange("SCHEDULED", "c", "S370811001", "370811", "HIGH", true, null, true, null)));
        AlertSpec overdue = triggers.casework(new Triggers.CaseChange("STEP_OVERDUE", "c", "S370811001", "370811", "CRITICAL", false, "BUREAU",
                true, "GUARDIAN_CONTACTED")).get(0);
        assertEquals("370811", overdue.orgId());
        assertEquals("c:GUARDIAN_CONTACTED", overdue.subject());
        assertEquals(Severity.CRITICAL, overdue.severity());
        assertEquals("HL370800", triggers.call(new Triggers.ClosedCall("x", "370800", "CRITICAL", true, null)).get(0).orgId());
        assertEquals(List.of(), triggers.call(new Triggers.ClosedCall("x", "370800", "CRITICAL", true, "S370811001")),
                "an identified caller goes through the green channel");
        assertEquals(List.of(), triggers.coverage(new Triggers.CoverageGap("370800", "2026-12-05", 0)));
        assertTrue(triggers.coverage(new Triggers.CoverageGap("370800", "2026-12-05", 2)).get(0).title().contains("2 个时段无人值守"));
    }

    @Test
    void aLoginSpikeGoesToEachCitysBureau() {
        List<AlertSpec> spike = triggers.loginSpike(new Triggers.LoginSpike("login:t", List.of("370800", "371000"), 500, 3, 40, 38));
        assertEquals(List.of("370800", "371000"), spike.stream().map(AlertSpec::orgId).toList());
        assertEquals(AlertSpec.OrgKind.BUREAU, spike.get(0).orgKind());
        assertEquals("login:t:371000", spike.get(1).subject());
        assertTrue(spike.get(0).title().contains("500 次访问码错误") && spike.get(0).title().contains("已锁定 38 个"), spike.get(0).title());
    }
}
