package cn.xinqiao.platform.db;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * What a native query hands back for a date or a timestamp, whichever JDBC type the driver and Hibernate chose
 * (java.sql.Date or LocalDate; Timestamp, Instant or OffsetDateTime), as the java.time value the code means. Null stays null.
 */
public final class SqlValues {

    private SqlValues() {
    }

    public static LocalDate date(Object v) {
        return v == null ? null : v instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) v;
    }

    public static OffsetDateTime time(Object v) {
        return v == null ? null : v instanceof OffsetDateTime o ? o : v instanceof Instant i ? i.atOffset(ZoneOffset.UTC)
                : ((java.sql.Timestamp) v).toInstant().atOffset(ZoneOffset.UTC);
    }
}
