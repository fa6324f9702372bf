package cn.xinqiao.screening.domain;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * How access codes are kept so that a read of the database does not reveal a working one: looked up by a keyed hash
 * (HMAC-SHA256; a plain hash of an 8-character code would fall to an offline search in minutes) and sealed with
 * AES-256-GCM for printing the slips. Both keys are derived from one deployment secret that the database never sees.
 */
public final class AccessCodeVault {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final byte[] lookupKey;
    private final SecretKeySpec sealKey;
    private final ThreadLocal<Mac> lookup;

    /** @param secretBase64 at least 32 random bytes, base64 */
    public AccessCodeVault(String secretBase64) {
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(secretBase64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("xinqiao.access-code.secret must be base64");
        }
        if (secret.length < 32) {
            throw new IllegalArgumentException("xinqiao.access-code.secret must hold at least 32 bytes");
        }
        this.lookupKey = derive(secret, "xinqiao/access-code/lookup");
        this.sealKey = new SecretKeySpec(derive(secret, "xinqiao/access-code/seal"), "AES");
        this.lookup = ThreadLocal.withInitial(() -> mac(lookupKey));
    }

    /** The lookup key of a normalised code ({@link AccessCodes#normalise}): 43 characters, base64url. */
    public String hash(String code) {
        return BASE64URL.encodeToString(lookup.get().doFinal(code.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The code sealed for the slips: a fresh 12-byte IV followed by the ciphertext and its tag. */
    public byte[] seal(String code) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = aes.doFinal(code.getBytes(StandardCharsets.US_ASCII));
            byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The code {@link #seal} sealed; fails if the bytes were sealed with another secret or altered. */
    public String open(byte[] sealed) {
        try {
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            return new String(aes.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("an access code sealed with another secret, or altered", e);
        }
    }

    private static byte[] derive(byte[] secret, String purpose) {
        return mac(secret).doFinal(purpose.getBytes(StandardCharsets.US_ASCII));
    }

    private static Mac mac(byte[] key) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
