package cn.xinqiao.notification.domain;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;

/**
 * A person's quiet hours (China time): outside channels hold a non-critical message until they end. A CRITICAL
 * message is never held. {@code to} before {@code from} spans midnight.
 */
public record QuietHours(LocalTime from, LocalTime to) {

    /** When a message raised at {@code at} may go out: {@code at} itself, or the end of the quiet window it falls in. */
    public Instant releaseAt(Instant at, Severity severity) {
        if (severity == Severity.CRITICAL || from == null || to == null || from.equals(to)) {
            return at;
        }
        ZonedDateTime local = at.atZone(OnCall.CHINA);
        LocalTime time = local.toLocalTime();
        boolean quiet = from.isBefore(to) ? !time.isBefore(from) && time.isBefore(to) : !time.isBefore(from) || time.isBefore(to);
        if (!quiet) {
            return at;
        }
        ZonedDateTime end = local.with(to).withSecond(0).withNano(0);
        if (!end.isAfter(local)) {
            end = end.plusDays(1);
        }
        return end.toInstant();
    }
}
