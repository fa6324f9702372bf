package cn.xinqiao.notification.alerts;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Times as a native query returns them (the driver and Hibernate version decide the types). */
public final class Times {
    private Times() {
    }

    public static OffsetDateTime odt(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime o) {
            return o;
        }
        if (value instanceof Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        return ((java.sql.Timestamp) value).toInstant().atOffset(ZoneOffset.UTC);
    }

    /** A time column, or null. */
    public static java.time.LocalTime localTime(Object value) {
        return value == null ? null : value instanceof java.time.LocalTime t ? t : ((java.sql.Time) value).toLocalTime();
    }
}
