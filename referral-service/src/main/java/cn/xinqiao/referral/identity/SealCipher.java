package cn.xinqiao.referral.identity;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * AES-256-GCM with a fresh 96-bit IV per message: {@code IV || ciphertext+tag}. Used twice: to wrap each student's
 * identity key under the deployment's key, and to seal the identity in a hospital message under the student's key.
 */
public final class SealCipher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    public SealCipher(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("an identity-seal key needs at least 32 bytes");
        }
        this.key = new SecretKeySpec(Arrays.copyOf(key, 32), "AES");
    }

    public static SealCipher fromBase64(String secret) {
        try {
            return new SealCipher(Base64.getDecoder().decode(secret.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("xinqiao.identity-seal.secret must be base64 of at least 32 bytes", e);
        }
    }

    public static byte[] newKey() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }

    public byte[] seal(byte[] plain, byte[] associated) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            c.updateAAD(associated);
            byte[] body = c.doFinal(plain);
            byte[] out = Arrays.copyOf(iv, 12 + body.length);
            System.arraycopy(body, 0, out, 12, body.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    /** The plain bytes; throws when the sealed bytes were altered, or belong to another key or another context. */
    public byte[] open(byte[] sealed, byte[] associated) {
        if (sealed == null || sealed.length < 12 + 16) {
            throw new IllegalArgumentException("not a sealed value");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, 12));
            c.updateAAD(associated);
            return c.doFinal(sealed, 12, sealed.length - 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the sealed value does not open with this key", e);
        }
    }
}
