package cn.xinqiao.screening.domain;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * The birth date a student types next to the access code: "2010-03-04", "2010/3/4", "2010.03.04", "20100304",
 * "2010年3月4日", full-width characters from a Chinese input method included. Anything else is no date (null).
 */
public final class BirthDates {

    private BirthDates() {
    }

    public static LocalDate typed(String typed) {
        if (typed == null || typed.length() > 20) {
            return null;
        }
        StringBuilder plain = new StringBuilder(12);
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c >= '\uFF01' && c <= '\uFF5E') {
                c = (char) (c - 0xFEE0); // full-width ASCII
            }
            if (c >= '0' && c <= '9') {
                plain.append(c);
            } else if (c == '-' || c == '/' || c == '.' || c == '年' || c == '月') {
                plain.append('-');
            } else if (!(c == '日' || Character.isWhitespace(c) || Character.isSpaceChar(c))) {
                return null;
            }
        }
        String s = plain.toString();
        String[] parts = s.length() == 8 && s.indexOf('-') < 0
                ? new String[] {s.substring(0, 4), s.substring(4, 6), s.substring(6)}
                : s.split("-", -1);
        if (parts.length != 3 || parts[0].length() != 4 || parts[1].isEmpty() || parts[1].length() > 2
                || parts[2].isEmpty() || parts[2].length() > 2) {
            return null;
        }
        try {
            return LocalDate.of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (DateTimeException e) {
            return null;
        }
    }
}
