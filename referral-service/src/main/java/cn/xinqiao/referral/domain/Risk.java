package cn.xinqiao.referral.domain;

/** The risk levels a referral request may carry, in rising order (ARCHITECTURE §6). */
public enum Risk {
    MODERATE, HIGH, CRITICAL;

    public static Risk max(Risk a, Risk b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** FHIR {@code ServiceRequest.priority} / {@code Task.priority}. */
    public String fhirPriority() {
        return switch (this) {
            case CRITICAL -> "stat";
            case HIGH -> "urgent";
            case MODERATE -> "routine";
        };
    }
}
