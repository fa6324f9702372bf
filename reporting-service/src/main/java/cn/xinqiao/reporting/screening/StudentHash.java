package cn.xinqiao.reporting.screening;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * What reporting keeps of a student: 16 bytes of SHA-256 over the event's pseudonymous key, enough to
 * count a student once per campaign, never enough to name them (the key itself is an HMAC with a
 * secret reporting does not hold).
 */
public final class StudentHash {

    private StudentHash() {
    }

    public static byte[] of(String studentKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(studentKey.getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
