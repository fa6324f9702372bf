package cn.xinqiao.screening.submission;

/** Whether a submission counts: one COUNTED per student, campaign and instrument; a second one waits as a CONFLICT. */
public enum SubmissionStatus {
    COUNTED,
    /** Online and paper answers for the same student and instrument: a counsellor decides which one counts. */
    CONFLICT,
    /** Kept or replaced by a counsellor's conflict review; counts no longer. */
    RESOLVED
}
