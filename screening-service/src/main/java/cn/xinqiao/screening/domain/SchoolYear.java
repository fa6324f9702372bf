package cn.xinqiao.screening.domain;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/**
 * A school year (学年) by the year it starts: 2026 is 2026–2027, from 1 August (the summer holiday belongs to the
 * year it leads into) to 31 July. Consent is given per school year; a campaign belongs to the year it opens in.
 */
public record SchoolYear(int startYear) {

    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    public SchoolYear {
        if (startYear < 2000 || startYear > 2200) {
            throw new IllegalArgumentException("school year out of range: " + startYear);
        }
    }

    public static SchoolYear of(LocalDate day) {
        return new SchoolYear(day.getMonthValue() >= 8 ? day.getYear() : day.getYear() - 1);
    }

    public static SchoolYear of(OffsetDateTime at) {
        return of(at.atZoneSameInstant(CHINA).toLocalDate());
    }

    /** {@code 2026-2027}, as written on the consent form. */
    public String label() {
        return startYear + "-" + (startYear + 1);
    }

    /** Parses {@code 2026-2027} or {@code 2026}; null when it is neither. */
    public static SchoolYear parse(String text) {
        if (text == null || !text.matches("20[0-9]{2}(-20[0-9]{2})?")) {
            return null;
        }
        int start = Integer.parseInt(text.substring(0, 4));
        if (text.length() > 4 && Integer.parseInt(text.substring(5)) != start + 1) {
            return null;
        }
        return new SchoolYear(start);
    }
}
