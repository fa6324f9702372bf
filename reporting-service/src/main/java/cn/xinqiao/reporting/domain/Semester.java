package cn.xinqiao.reporting.domain;

import java.time.LocalDate;
import java.time.MonthDay;

/**
 * A school semester: autumn ({@code 2026-autumn}: 1 Sep 2026 – 31 Jan 2027) or spring
 * ({@code 2027-spring}: 1 Feb – 31 Aug 2027). Mandated activities fall due on its last day.
 */
public record Semester(int year, boolean autumn) {

    public static Semester parse(String id) {
        if (id == null || !id.matches("20[0-9]{2}-(autumn|spring)")) {
            throw new IllegalArgumentException("semester must look like 2026-autumn or 2027-spring");
        }
        return new Semester(Integer.parseInt(id.substring(0, 4)), id.endsWith("autumn"));
    }

    public static Semester containing(LocalDate day) {
        if (day.getMonthValue() >= 9) {
            return new Semester(day.getYear(), true);
        }
        if (day.getMonthValue() == 1) {
            return new Semester(day.getYear() - 1, true);
        }
        return new Semester(day.getYear(), false);
    }

    public LocalDate first() {
        return autumn ? LocalDate.of(year, 9, 1) : LocalDate.of(year, 2, 1);
    }

    public LocalDate last() {
        return autumn ? LocalDate.of(year + 1, 1, 31) : MonthDay.of(8, 31).atYear(year);
    }

    public String id() {
        return year + (autumn ? "-autumn" : "-spring");
    }

    public String label() {
        return autumn ? year + "–" + (year + 1) + "学年秋季学期" : (year - 1) + "–" + year + "学年春季学期";
    }
}
