package cn.xinqiao.screening.domain;

/** A risk level and the policy rule that decided it (recorded with every result). */
public record RiskAssessment(RiskLevel level, String rule, String policyVersion) {
}
