package cn.xinqiao.reporting.report;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.reporting.domain.Semester;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/** A period of whole days in China time, [from, to] inclusive; defaults to the current semester. */
public record Period(LocalDate from, LocalDate to) {

    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    public static Period of(String from, String to, String semester) {
        try {
            if (semester != null && !semester.isBlank()) {
                Semester s = Semester.parse(semester);
                return new Period(s.first(), s.last());
            }
            Semester current = Semester.containing(LocalDate.now(CHINA));
            LocalDate f = from == null || from.isBlank() ? current.first() : LocalDate.parse(from);
            LocalDate t = to == null || to.isBlank() ? current.last() : LocalDate.parse(to);
            if (t.isBefore(f)) {
                throw Problem.badRequest("bad-period", "to must not be before from");
            }
            if (f.plusYears(5).isBefore(t)) {
                throw Problem.badRequest("bad-period", "a period spans at most five years");
            }
            return new Period(f, t);
        } catch (DateTimeParseException e) {
            throw Problem.badRequest("bad-period", "from and to are dates: YYYY-MM-DD");
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("bad-semester", e.getMessage());
        }
    }

    public OffsetDateTime start() {
        return from.atStartOfDay(CHINA).toOffsetDateTime();
    }

    /** Exclusive end: the start of the day after {@code to}. */
    public OffsetDateTime end() {
        return to.plusDays(1).atStartOfDay(CHINA).toOffsetDateTime();
    }
}
