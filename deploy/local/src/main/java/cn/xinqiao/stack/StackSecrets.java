package cn.xinqiao.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** The local stack's secrets ({@code .xq/secrets.properties}): random per stack folder, never committed. */
final class StackSecrets {

    /** The seed of the database roles' passwords (never handed to a service: each gets its own roles' passwords). */
    static final String DB_SECRET = "XINQIAO_DB_SECRET";

    private StackSecrets() {
    }

    /** A database role's password, derived from the stack's {@link #DB_SECRET}: stable across restarts, one per role. */
    static String dbPassword(Map<String, String> secrets, String role) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(Base64.getDecoder().decode(secrets.get(DB_SECRET)), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(role.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deployment secrets, made once per stack folder and never committed. */
    static Map<String, String> load(Path dataDir) throws IOException {
        Path file = dataDir.resolve("secrets.properties");
        Properties props = new Properties();
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(in);
            }
        }
        boolean changed = false;
        for (String key : List.of("XINQIAO_PSEUDONYM_SECRET", "XINQIAO_CALLER_HASH_SECRET", "XINQIAO_WEB_SESSION_SECRET",
                "XINQIAO_STUDENT_SESSION_SECRET", "XINQIAO_ACCESS_CODE_SECRET", "XINQIAO_IDENTITY_SEAL_SECRET", DB_SECRET, LocalStack.KEYCLOAK_ADMIN_PASSWORD)) {
            if (!props.containsKey(key)) {
                byte[] bytes = new byte[32];
                new SecureRandom().nextBytes(bytes);
                props.setProperty(key, Base64.getEncoder().encodeToString(bytes));
                changed = true;
            }
        }
        // Student-session tokens are HS256: an older stack folder's RS256 key pair is no longer read.
        changed |= props.remove("XINQIAO_STUDENT_SESSION_PRIVATE_KEY") != null;
        changed |= props.remove("XINQIAO_STUDENT_SESSION_PUBLIC_KEY") != null;
        if (changed) {
            try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                props.store(out, "Xinqiao local stack secrets");
            }
            // readable by the stack's owner only
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        Map<String, String> env = new HashMap<>();
        props.forEach((k, v) -> env.put(k.toString(), v.toString()));
        return env;
    }
}
