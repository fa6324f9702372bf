package cn.xinqiao.screening.riskqueue;

/**
 * Where a case came from: a screening result, daily work (the counsellor, a teacher, a parent, a peer, the hotline), or a
 * hospital that discharged the student back to school after treatment that did not begin with a referral from here.
 */
public enum CaseSource {
    SCREENING,
    DAILY_WORK,
    TEACHER_REPORT,
    PARENT_REPORT,
    PEER_REPORT,
    HOTLINE,
    HOSPITAL_RETURN
}
