package cn.xinqiao.screening.riskqueue;

/** Where a case came from: a screening result, or daily work (the counsellor, a teacher, a parent, a peer, the hotline). */
public enum CaseSource {
    SCREENING,
    DAILY_WORK,
    TEACHER_REPORT,
    PARENT_REPORT,
    PEER_REPORT,
    HOTLINE
}
