package cn.xinqiao.reporting.programme;

import cn.xinqiao.reporting.domain.Semester;
import cn.xinqiao.reporting.report.Period;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * What a trend point, a ranking or a bulletin looks at: a whole semester ({@code 2026-autumn}) or a month of one
 * ({@code 2026-11}). Screening and activities count the semester up to the window's last day (campaigns opened,
 * activities held by then); referrals, follow-ups and calls count the window's own days.
 */
public record Window(String id, String label, Semester semester, Period period) {

    public static Window of(Semester s) {
        return new Window(s.id(), s.label(), s, new Period(s.first(), s.last()));
    }

    public static Window of(YearMonth month) {
        Semester s = Semester.containing(month.atDay(1));
        return new Window(month.toString(), month.getYear() + "年" + month.getMonthValue() + "月", s,
                new Period(month.atDay(1), month.atEndOfMonth()));
    }

    /** {@code 2026-autumn}, {@code 2027-spring} or {@code 2026-11}; blank is the current semester. */
    public static Window parse(String id, LocalDate today) {
        if (id == null || id.isBlank()) {
            return of(Semester.containing(today));
        }
        if (id.matches("20[0-9]{2}-(0[1-9]|1[0-2])")) {
            return of(YearMonth.parse(id));
        }
        if (id.matches("20[0-9]{2}-(autumn|spring)")) {
            return of(Semester.parse(id));
        }
        throw new IllegalArgumentException("period must be a semester (2026-autumn, 2027-spring) or a month (2026-11)");
    }

}
