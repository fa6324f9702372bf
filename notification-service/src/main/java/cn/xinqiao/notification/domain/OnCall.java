package cn.xinqiao.notification.domain;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An organisation's on-call list: contacts in order, each with the days and daily window (China time) they cover,
 * and the organisation's lead. Who is on call at an instant is the contacts whose window holds it, in list order.
 */
public record OnCall(List<Contact> contacts, String lead) {

    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    /**
     * @param days ISO days of the week it covers ("12345" = Monday to Friday)
     * @param from start of the daily window; {@code to} before {@code from} spans midnight; equal = the whole day
     */
    public record Contact(String username, String days, LocalTime from, LocalTime to) {

        public boolean covers(Instant at) {
            ZonedDateTime local = at.atZone(CHINA);
            LocalTime time = local.toLocalTime();
            if (from.equals(to)) {
                return onDay(local.getDayOfWeek());
            }
            if (from.isBefore(to)) {
                return onDay(local.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
            }
            // across midnight: the evening part belongs to today, the morning part to the day the window began
            if (!time.isBefore(from)) {
                return onDay(local.getDayOfWeek());
            }
            return time.isBefore(to) && onDay(local.getDayOfWeek().minus(1));
        }

        private boolean onDay(DayOfWeek day) {
            return days.indexOf((char) ('0' + day.getValue())) >= 0;
        }
    }

    public OnCall {
        contacts = List.copyOf(contacts);
    }

    /** The people on call at that instant, in the list's order, each once. */
    public List<String> onCallAt(Instant at) {
        Set<String> people = new LinkedHashSet<>();
        for (Contact c : contacts) {
            if (c.covers(at)) {
                people.add(c.username());
            }
        }
        return new ArrayList<>(people);
    }
}
