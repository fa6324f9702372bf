package cn.xinqiao.platform.retention;

import java.time.Period;
import java.util.List;

/**
 * One kind of data and how long it is kept: {@code count} counts the rows past the cutoff ({@code ?} = the cutoff),
 * {@code purge} removes them in batches, in order (dependent rows first), each statement taking the cutoff and the
 * batch size and repeated until it removes less than a batch. A statement starting with {@code select} is a
 * function returning how many rows it removed (the audit log's, which the runtime role may not delete directly).
 * {@code keep} is the default; {@code xinqiao.retention.<kind>} (ISO-8601, e.g. {@code P3Y}) overrides it.
 */
public record RetentionRule(String kind, String what, String reason, Period keep, String count, List<String> purge) {
}
