package cn.xinqiao.platform.pseudonym;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;

/**
 * Keyed one-way pseudonyms (HMAC-SHA256, base64url without padding: 43 characters). The same input and
 * secret always give the same key, so events about one student (or calls from one phone) can be linked
 * without carrying who they are; without the deployment secret the key cannot be reversed or guessed
 * by hashing a roster. Plain Java so domain code and tests can use it directly.
 */
public final class Pseudonyms {

    private static final int MIN_SECRET_BYTES = 32;
    private final SecretKeySpec key;

    public Pseudonyms(String secret) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the pseudonym secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** ARCHITECTURE §4: HMAC of school id + student number. Student numbers are compared trimmed and upper-case. */
    public String studentKey(String schoolId, String studentNumber) {
        return hmac(schoolId.trim() + ":" + studentNumber.trim().toUpperCase(Locale.ROOT));
    }

    /**
     * The national student registration number (全国学籍号), which embeds the ID-card number: kept only as this key, so
     * a student who changes school is recognised without the number itself being stored anywhere.
     */
    public String nationalKey(String nationalId) {
        return hmac("national:" + nationalId.trim().toUpperCase(Locale.ROOT));
    }

    /** A phone number reduced to its digits (country code 86 dropped), so "+86 138-0000-0000" links to "13800000000". */
    public String phoneKey(String phone) {
        String digits = phone.replaceAll("\\D", "");
        if (digits.length() == 13 && digits.startsWith("86")) {
            digits = digits.substring(2);
        }
        return hmac("tel:" + digits);
    }

    private String hmac(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
