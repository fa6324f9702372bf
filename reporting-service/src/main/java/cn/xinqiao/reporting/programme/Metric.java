package cn.xinqiao.reporting.programme;

import java.util.Arrays;
import java.util.List;

/**
 * The programme's measures, each read from the report that already owns it (so a trend or a ranking shows
 * exactly what that report shows, suppression included): which columns, which one ranks, and which way is
 * behind. {@code behindWhenLow}: a low value is the laggard (coverage), else a high one is (hours to accept).
 */
public enum Metric {
    COVERAGE("coverage", "筛查覆盖率", "Screening coverage", "coverage", true,
            "按覆盖率由低到高排列（落后者在前）", "by coverage, lowest first"),
    RISK("risk", "高风险及以上学生占比", "Students at high or critical risk", "high", false,
            "按高风险及以上占比由高到低排列（需关注者在前）", "by the share at high or critical risk, highest first"),
    REFERRAL_TIMELINESS("referral-timeliness", "转介接收时效", "Referral timeliness", "acceptP50", false,
            "按医院接收时效中位数由长到短排列（最慢者在前）", "by median hours to acceptance, slowest first"),
    FOLLOW_UP("follow-up", "回访按时完成率", "Follow-ups on time", "onTimeRate", true,
            "按回访按时率由低到高排列（落后者在前）", "by follow-ups done on time, lowest first"),
    HOTLINE("hotline", "热线来电量", "Hotline calls", "calls", false,
            "按来电量由多到少排列（供研判，非考核）", "by calls, most first (for planning, not a score)"),
    ACTIVITIES("activities", "规定活动达标率", "Mandated-activity compliance", "rate", true,
            "按达标学校占比由低到高排列（落后者在前）", "by the share of compliant schools, lowest first");

    public final String id;
    public final String zh;
    public final String en;
    /** The column a ranking orders by. */
    public final String key;
    public final boolean behindWhenLow;
    public final String ruleZh;
    public final String ruleEn;

    Metric(String id, String zh, String en, String key, boolean behindWhenLow, String ruleZh, String ruleEn) {
        this.id = id;
        this.zh = zh;
        this.en = en;
        this.key = key;
        this.behindWhenLow = behindWhenLow;
        this.ruleZh = ruleZh;
        this.ruleEn = ruleEn;
    }

    /** One metric by its id, or every metric for none; an unknown id is an {@link IllegalArgumentException}. */
    public static List<Metric> parse(String id) {
        if (id == null || id.isBlank()) {
            return List.of(values());
        }
        return List.of(Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "metric must be one of " + Arrays.stream(values()).map(m -> m.id).toList())));
    }

    public String rule() {
        return ruleZh + " (" + ruleEn + ")";
    }
}
