package cn.xinqiao.screening.domain;

import java.security.SecureRandom;

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

    /**
     * What the student typed → the stored form, or null if it cannot be a code (so no lookup is made). Spaces and
     * dashes are dropped, letters upper-cased, and full-width characters (全角, what a Chinese input method types in
     * that mode: "ＡＢＣＤ－２３４５") read as their ASCII forms. One pass over the characters: this runs on every
     * login, and the regex it replaced was compiled anew each time (1 % of screening's login CPU).
     */
    public static String normalise(String typed) {
        if (typed == null) {
            return null;
        }
        char[] code = new char[LENGTH];
        int n = 0;
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c >= '\uFF01' && c <= '\uFF5E') {
                c = (char) (c - 0xFEE0); // full-width ASCII
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '-' || (c >= '\u2010' && c <= '\u2015')) {
                continue; // separators, including the dashes a phone's autocorrect makes of '-'
            }
            if (c >= 'a' && c <= 'z') {
                c = (char) (c - ('a' - 'A'));
            }
            if (n == LENGTH || ALPHABET.indexOf(c) < 0) {
                return null;
            }
            code[n++] = c;
        }
        return n == LENGTH ? new String(code) : null;
    }

    public static String display(String code) {
        return code.substring(0, 4) + "-" + code.substring(4);
    }
}
