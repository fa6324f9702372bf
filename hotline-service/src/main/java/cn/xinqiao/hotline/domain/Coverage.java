package cn.xinqiao.hotline.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a 24/7 roster has holes: the stretches of a window with no operator, or no supervisor, on shift.
 * Pure Java over (start, end) intervals.
 */
public final class Coverage {

    public record Interval(Instant start, Instant end) {
    }

    private Coverage() {
    }

    /** The parts of [from, to) that no interval covers, in time order. */
    public static List<Interval> gaps(List<Interval> covered, Instant from, Instant to) {
        List<Interval> sorted = covered.stream().filter(i -> i.end().isAfter(from) && i.start().isBefore(to))
                .sorted(Comparator.comparing(Interval::start)).toList();
        List<Interval> gaps = new ArrayList<>();
        Instant cursor = from;
        for (Interval i : sorted) {
            if (i.start().isAfter(cursor)) {
                gaps.add(new Interval(cursor, i.start()));
            }
            if (i.end().isAfter(cursor)) {
                cursor = i.end();
            }
            if (!cursor.isBefore(to)) {
                break;
            }
        }
        if (cursor.isBefore(to)) {
            gaps.add(new Interval(cursor, to));
        }
        return gaps;
    }
}
