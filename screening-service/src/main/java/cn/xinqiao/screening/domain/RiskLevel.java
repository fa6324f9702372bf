package cn.xinqiao.screening.domain;

/** ARCHITECTURE §6. Ordered: a later constant is a higher risk. */
public enum RiskLevel {
    NONE, LOW, MODERATE, HIGH, CRITICAL;

    public boolean raisesReferral() {
        return this == HIGH || this == CRITICAL;
    }

    public boolean needsFollowUp() {
        return compareTo(MODERATE) >= 0;
    }

    public static RiskLevel highest(RiskLevel a, RiskLevel b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
