package cn.xinqiao.notification.domain;

/** How urgent an alert is: CRITICAL climbs the ladder and ignores quiet hours; HIGH and NORMAL reach one person. */
public enum Severity {
    CRITICAL, HIGH, NORMAL;

    /** The referral's or case's risk level as an alert's urgency. */
    public static Severity ofRisk(String riskLevel) {
        return switch (riskLevel == null ? "" : riskLevel) {
            case "CRITICAL" -> CRITICAL;
            case "HIGH" -> HIGH;
            default -> NORMAL;
        };
    }
}
