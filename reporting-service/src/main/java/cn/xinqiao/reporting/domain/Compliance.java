package cn.xinqiao.reporting.domain;

import java.time.LocalDate;

/**
 * The mandated activities of seed 004: each school holds at least one mental-health lecture and four
 * group counselling sessions per semester; the city holds at least five teacher trainings per year.
 */
public final class Compliance {

    public static final int LECTURES_PER_SEMESTER = 1;
    public static final int GROUP_SESSIONS_PER_SEMESTER = 4;
    public static final int TRAININGS_PER_YEAR = 5;

    public enum Status {
        MET("已达标", "met"), DUE("进行中", "in progress"), OVERDUE("逾期未达标", "overdue");

        public final String zh;
        public final String en;

        Status(String zh, String en) {
            this.zh = zh;
            this.en = en;
        }
    }

    private Compliance() {
    }

    public static Status status(long done, int required, LocalDate dueOn, LocalDate today) {
        if (done >= required) {
            return Status.MET;
        }
        return today.isAfter(dueOn) ? Status.OVERDUE : Status.DUE;
    }
}
