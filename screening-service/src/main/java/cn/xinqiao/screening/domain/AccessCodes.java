package cn.xinqiao.screening.domain;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * Access codes students type on a phone: 8 characters from 31 symbols without look-alikes (no 0/O, 1/I/L),
 * about 8.5 × 10^11 combinations, random (not derived from the student), shown grouped as XXXX-XXXX.
 */
public final class AccessCodes {

    public static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    public static final int LENGTH = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AccessCodes() {
    }

    public static String next() {
        char[] code = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            code[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return new String(code);
    }

    /** What the student typed → the stored form, or null if it cannot be a code (so no lookup is made). */
    public static String normalise(String typed) {
        if (typed == null) {
            return null;
        }
        String code = typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        if (code.length() != LENGTH) {
            return null;
        }
        for (char c : code.toCharArray()) {
            if (ALPHABET.indexOf(c) < 0) {
                return null;
            }
        }
        return code;
    }

    public static String display(String code) {
        return code.substring(0, 4) + "-" + code.substring(4);
    }
}
