package cn.xinqiao.screening.submission;

/** How a questionnaire was answered: by the student online, or on paper and keyed in by school staff. */
public enum Mode {
    ONLINE,
    PAPER
}
