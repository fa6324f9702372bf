package cn.xinqiao.screening.riskqueue;

/** Where a risk case is in the counsellor's work. */
public enum CaseStatus {
    OPEN,
    FOLLOWING_UP,
    REFERRED,
    CLOSED
}
