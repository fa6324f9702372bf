package cn.xinqiao.notification.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Which events need a person, and whom: plain rules over the events' coded fields. The texts follow one pattern,
 * "{organisation} 1 名学生… — 请登录心桥查看", so a message read on a lock screen or in a group chat tells who must act
 * and nothing about the student.
 */
public final class Triggers {

    public static final String SUFFIX = " — 请登录心桥查看";

    /** A referral.status.v1 event's fields that matter here. */
    public record ReferralChange(String referralId, String hospitalId, String schoolId, String districtCode, String riskLevel,
                                 String status, String businessStatus, String escalation, String reasonCode) {
    }

    /** A screening.casework.v1 event's fields that matter here. */
    public record CaseChange(String kind, String caseId, String schoolId, String districtCode, String riskLevel, boolean opened,
                             String escalatedTo, boolean criticalStep, String item) {

        /** What one escalation is about: the case, or one of its steps or follow-ups ({@code <case>:<step code or follow-up id>}). */
        public String subject() {
            return item == null ? caseId : caseId + ":" + item;
        }
    }

    /** A hotline.calls.v1 event's fields that matter here. */
    public record ClosedCall(String callId, String hotline, String riskLevel, boolean escalated, String schoolId) {
    }

    /** A hotline.coverage.v1 event: hours of tomorrow's roster without an operator or a supervisor. */
    public record CoverageGap(String hotline, String date, int gaps) {
    }

    /** A screening.security.v1 spike: failed student logins city-wide, counts only. */
    public record LoginSpike(String subject, List<String> cityCodes, int failures, int successes, int networks, int lockedNetworks) {
    }

    private final Function<String, String> names;

    /** @param names an organisation's name by its id (the id itself when the directory does not know it yet) */
    public Triggers(Function<String, String> names) {
        this.names = names;
    }

    public List<AlertSpec> referral(ReferralChange r) {
        List<AlertSpec> out = new ArrayList<>();
        String school = names.apply(r.schoolId());
        Severity severity = Severity.ofRisk(r.riskLevel());
        String level = switch (severity) {
            case CRITICAL -> "危急";
            case HIGH -> "高风险";
            default -> "";
        };
        String inbox = "/staff/#/inbox";
        if ("escalated".equals(r.businessStatus())) {
            String escalation = r.escalation() == null ? "" : r.escalation();
            String reason = r.reasonCode() == null ? "" : r.reasonCode();
            if ("BACKUP_HOSPITAL".equals(escalation) && r.hospitalId() != null) {
                out.add(new AlertSpec("REFERRAL_BACKUP", severity, AlertSpec.OrgKind.HOSPITAL, r.hospitalId(), r.districtCode(),
                        school + " 1 名学生" + level + "转介转至本院（原合作医院未及时接收）" + SUFFIX, inbox, r.referralId()));
            } else if ("BUREAU_ALERT".equals(escalation) || "NO_PARTNERSHIP".equals(escalation)) {
                String what = reason.startsWith("acknowledge-overdue") ? "转介超时未被医院接收"
                        : reason.startsWith("visit-overdue") ? "转介超时未就诊"
                        : reason.startsWith("declined-no-backup") ? "转介被医院拒绝且无备用医院"
                        : "NO_PARTNERSHIP".equals(escalation) ? "转介无合作医院可接收" : "转介需要督办";
                String kind = reason.startsWith("acknowledge-overdue") ? "REFERRAL_ACK_OVERDUE"
                        : reason.startsWith("visit-overdue") ? "REFERRAL_VISIT_OVERDUE"
                        : reason.startsWith("declined-no-backup") ? "REFERRAL_DECLINED" : "REFERRAL_UNROUTED";
                Severity urgent = severity == Severity.CRITICAL ? Severity.CRITICAL : Severity.HIGH;
                out.add(new AlertSpec(kind, urgent, AlertSpec.OrgKind.BUREAU, r.districtCode(), r.districtCode(),
                        school + " 1 名学生" + what + SUFFIX, "/staff/#/dashboard", r.referralId()));
                if (!"REFERRAL_ACK_OVERDUE".equals(kind) && !"REFERRAL_VISIT_OVERDUE".equals(kind)) {
                    out.add(new AlertSpec(kind, urgent, AlertSpec.OrgKind.SCHOOL, r.schoolId(), r.districtCode(),
                            "本校 1 名学生" + what + SUFFIX, "/staff/#/school-referrals", r.referralId()));
                }
            }
            return out;
        }
        if (r.hospitalId() == null) {
            return out;
        }
        if ("requested".equals(r.status()) && "routed".equals(r.businessStatus())) {
            out.add(new AlertSpec("REFERRAL_NEW", severity, AlertSpec.OrgKind.HOSPITAL, r.hospitalId(), r.districtCode(),
                    school + " 1 名学生" + level + "转介待接收" + SUFFIX, inbox, r.referralId()));
        } else if ("merged".equals(r.businessStatus())) {
            out.add(new AlertSpec("REFERRAL_MERGED", severity, AlertSpec.OrgKind.HOSPITAL, r.hospitalId(), r.districtCode(),
                    school + " 1 名学生的转介有新的筛查结果" + SUFFIX, inbox, r.referralId()));
        }
        return out;
    }

    /**
     * What a status change settles: the alerts asking the hospital to take the referral, once it has answered, or once
     * the referral has moved on to the backup hospital (whose own alert is a REFERRAL_BACKUP).
     */
    public static List<String> settledBy(ReferralChange r) {
        if ("escalated".equals(r.businessStatus()) && "BACKUP_HOSPITAL".equals(r.escalation())) {
            return List.of("REFERRAL_NEW", "REFERRAL_MERGED");
        }
        return switch (r.status() == null ? "" : r.status()) {
            case "accepted", "rejected", "in-progress", "completed", "cancelled", "failed" ->
                    List.of("REFERRAL_NEW", "REFERRAL_MERGED", "REFERRAL_BACKUP");
            default -> List.of();
        };
    }

    /** One kind of alert about one subject that an event settles. */
    public record Settled(String subject, String kind) {
    }

    /**
     * What a case event settles: a step recorded settles the critical-case alert and that step's overdue alerts; a
     * follow-up recorded, that follow-up's; the case closed, all of them.
     */
    public static List<Settled> settledBy(CaseChange c) {
        return switch (c.kind()) {
            case "STEP_RECORDED" -> c.item() == null ? List.of(new Settled(c.caseId(), "CASE_CRITICAL"))
                    : List.of(new Settled(c.caseId(), "CASE_CRITICAL"), new Settled(c.subject(), "STEP_OVERDUE"));
            case "FOLLOW_UP_RECORDED" -> c.item() == null ? List.of() : List.of(new Settled(c.subject(), "FOLLOW_UP_OVERDUE"));
            case "CLOSED" -> List.of(new Settled(c.caseId(), "CASE_CRITICAL"), new Settled(c.caseId() + ":*", "STEP_OVERDUE"),
                    new Settled(c.caseId() + ":*", "FOLLOW_UP_OVERDUE"));
            default -> List.of();
        };
    }

    public List<AlertSpec> casework(CaseChange c) {
        String school = names.apply(c.schoolId());
        String link = "/staff/#/risk/" + c.caseId();
        if ("SCHEDULED".equals(c.kind()) && c.opened() && "CRITICAL".equals(c.riskLevel())) {
            return List.of(new AlertSpec("CASE_CRITICAL", Severity.CRITICAL, AlertSpec.OrgKind.SCHOOL, c.schoolId(), c.districtCode(),
                    "本校 1 名学生危急个案已开案，请立即按流程处置" + SUFFIX, link, c.caseId()));
        }
        boolean step = "STEP_OVERDUE".equals(c.kind());
        if (step || "FOLLOW_UP_OVERDUE".equals(c.kind())) {
            String what = step ? "个案处置步骤已超时" : "回访已超时";
            Severity severity = step && c.criticalStep() && "CRITICAL".equals(c.riskLevel()) ? Severity.CRITICAL : Severity.HIGH;
            if ("BUREAU".equals(c.escalatedTo())) {
                return List.of(new AlertSpec(c.kind(), severity, AlertSpec.OrgKind.BUREAU, c.districtCode(), c.districtCode(),
                        school + " 1 个" + what + SUFFIX, "/staff/#/reports", c.subject()));
            }
            return List.of(new AlertSpec(c.kind(), severity, AlertSpec.OrgKind.SCHOOL, c.schoolId(), c.districtCode(),
                    "本校 1 个" + what + SUFFIX, step ? link : "/staff/#/follow-ups", c.subject()));
        }
        return List.of();
    }

    public List<AlertSpec> call(ClosedCall c) {
        if (c.hotline() == null || !c.escalated() || !"CRITICAL".equals(c.riskLevel()) || c.schoolId() != null) {
            return List.of(); // an identified student's crisis goes through the green channel, which alerts the hospital
        }
        return List.of(new AlertSpec("HOTLINE_EMERGENCY", Severity.CRITICAL, AlertSpec.OrgKind.HOTLINE, "HL" + c.hotline(), c.hotline(),
                "心理热线 1 通危急来电需主管紧急处置" + SUFFIX, "/staff/#/board", c.callId()));
    }

    /** A day of one hotline's roster: a newer answer for it settles the older alert. */
    public static String coverageSubject(CoverageGap g) {
        return "HL" + g.hotline() + ":" + g.date();
    }

    public List<AlertSpec> coverage(CoverageGap g) {
        if (g.gaps() <= 0) {
            return List.of();
        }
        return List.of(new AlertSpec("HOTLINE_COVERAGE_GAP", Severity.HIGH, AlertSpec.OrgKind.HOTLINE, "HL" + g.hotline(), g.hotline(),
                "心理热线 " + g.date() + " 排班有 " + g.gaps() + " 个时段无人值守" + SUFFIX, "/staff/#/shifts", coverageSubject(g)));
    }

    /** The city bureau of each city the screening service serves: someone may be guessing students' access codes. */
    public List<AlertSpec> loginSpike(LoginSpike s) {
        return s.cityCodes().stream().map(city -> new AlertSpec("LOGIN_FAILURE_SPIKE", Severity.HIGH, AlertSpec.OrgKind.BUREAU, city, city,
                "学生登录异常：5 分钟内 " + s.failures() + " 次访问码错误（成功 " + s.successes() + " 次，来自 " + s.networks()
                        + " 个网络，已锁定 " + s.lockedNetworks() + " 个），可能有人在猜测访问码" + SUFFIX, "/staff/#/notifications",
                s.subject() + ":" + city)).toList();
    }
}
