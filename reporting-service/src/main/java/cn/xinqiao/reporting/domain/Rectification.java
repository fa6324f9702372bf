package cn.xinqiao.reporting.domain;

import java.time.LocalDate;
import java.util.List;

/**
 * A rectification item's life (plain Java): raised OPEN with a deadline; the school ANSWERS what it did; the bureau
 * CLOSES an answered item or REOPENS it (answered or closed) with a new deadline. An item is overdue while it waits
 * for the school's answer past its deadline.
 */
public final class Rectification {

    public enum Status { OPEN, ANSWERED, CLOSED }

    public enum Action { ANSWER, CLOSE, REOPEN }

    /** The findings a supervision group records, coded so that the city can count them across schools. */
    public enum Finding {
        SCREENING("筛查覆盖或组织不到位"), CARE_LOOP("个案跟进不及时"), REFERRAL("转介渠道不畅"), CURRICULUM("心理健康课时不足"),
        STAFFING("心理教师配备不足"), TRAINING("教师培训未全覆盖"), ACTIVITIES("宣教活动不足"), FACILITIES("心理辅导室建设不达标"),
        RECORDS("档案管理不规范"), PRIVACY("学生信息保护不到位"), OTHER("其他");

        public final String zh;

        Finding(String zh) {
            this.zh = zh;
        }

        public static List<String> ids() {
            return java.util.Arrays.stream(values()).map(Enum::name).toList();
        }
    }

    private Rectification() {
    }

    /** The status after the action, or null when the action is not open to an item in this status. */
    public static Status next(Status current, Action action) {
        return switch (action) {
            case ANSWER -> current == Status.OPEN ? Status.ANSWERED : null;
            case CLOSE -> current == Status.ANSWERED ? Status.CLOSED : null;
            case REOPEN -> current == Status.OPEN ? null : Status.OPEN;
        };
    }

    public static boolean overdue(Status status, LocalDate dueOn, LocalDate today) {
        return status == Status.OPEN && today.isAfter(dueOn);
    }
}
