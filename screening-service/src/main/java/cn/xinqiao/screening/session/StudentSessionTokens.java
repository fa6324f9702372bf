package cn.xinqiao.screening.session;

import cn.xinqiao.screening.session.StudentSessionConfig;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Student-session tokens: HS256 JWS that this service both issues (at access-code login) and verifies (on
 * every submission). Issuer and verifier are the same service, so a shared secret is the right key: signing
 * costs about a microsecond where RS256 cost 1.5 ms of CPU per login and capped a 2-core replica near
 * 1,000 logins/s. Replicas share the secret; a rotation keeps the previous secret for verification until the
 * tokens it signed have expired ({@code kid} = a hash of the key, so no one has to name keys).
 *
 * <p>Verification checks what jose4j's consumer checked, without its object model (a sixth of the CPU a
 * submission cost screening-service): only HS256 with one of our keys (no {@code none}, no
 * algorithm confusion with the staff tokens' RS256, no {@code crit} headers), the signature compared in constant
 * time, then issuer, audience, expiry (30 s skew), not-before, issued-at, subject and the student/campaign/school
 * claims. A header byte-equal to the one {@link #sign} writes skips the header's JSON; any other header is parsed.
 * The tests check tokens signed by jose4j both ways.
 */
@ApplicationScoped
public class StudentSessionTokens {

    public static final String AUDIENCE = "xinqiao-student";
    public static final String CAMPAIGN_ID = "campaign_id";
    public static final String SCHOOL_ID = "school_id";

    /** What a verified token says. */
    public record Session(UUID studentId, UUID campaignId, String schoolId, JwtClaims claims, String raw) {
    }

    private final String issuer;
    private final String currentKid;
    /** The verification keys by key id: the current one, and during a rotation the previous one. */
    private final Map<String, byte[]> keyBytes = new LinkedHashMap<>();
    private final Map<String, byte[]> keysByEncodedHeader = new LinkedHashMap<>();
    private final String issuerJson;
    private final String encodedHeader;
    private final ThreadLocal<Mac> mac;
    private final byte[] currentKeyBytes;

    @Inject
    public StudentSessionTokens(StudentSessionConfig config) {
        this(config.issuer(), config.secret(), config.previousSecret());
    }

    public StudentSessionTokens(String issuer, String secret, Optional<String> previousSecret) {
        this.issuer = issuer;
        HmacKey currentKey = key(secret, "xinqiao.student-session.secret");
        this.currentKid = kid(currentKey);
        this.issuerJson = json(issuer);
        this.encodedHeader = encodedHeader(currentKid);
        byte[] signingKey = currentKey.getEncoded();
        this.currentKeyBytes = signingKey;
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(signingKey, "HmacSHA256"));
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        });
        keyBytes.put(currentKid, currentKeyBytes);
        previousSecret.filter(s -> !s.isBlank()).map(s -> key(s, "xinqiao.student-session.previous-secret"))
                .ifPresent(k -> keyBytes.putIfAbsent(kid(k), k.getEncoded()));
        keyBytes.forEach((kid, key) -> keysByEncodedHeader.put(encodedHeader(kid), key));
    }

    /**
     * Signs a session: the compact JWS is assembled here (constant header, claims in a fixed order, one HMAC)
     * because this is the login hot path; jose4j's object model cost about a third of a login's CPU. The tests verify what this produces with jose4j.
     */
    public String sign(UUID studentId, UUID campaignId, String schoolId, Instant issuedAt, Instant expiresAt) {
        StringBuilder claims = new StringBuilder(256).append("{\"iss\":").append(issuerJson)
                .append(",\"sub\":\"").append(studentId)
                .append("\",\"aud\":\"").append(AUDIENCE)
                .append("\",\"groups\":[\"student\"],\"").append(CAMPAIGN_ID).append("\":\"").append(campaignId)
                .append("\",\"").append(SCHOOL_ID).append("\":").append(json(schoolId))
                .append(",\"iat\":").append(issuedAt.getEpochSecond())
                .append(",\"exp\":").append(expiresAt.getEpochSecond()).append('}');
        String signingInput = encodedHeader + "." + BASE64URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        byte[] signature = mac.get().doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + BASE64URL.encodeToString(signature);
    }

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CLOCK_SKEW_SECONDS = 30;

    /** The header {@link #sign} writes for a key id. */
    private static String encodedHeader(String kid) {
        return BASE64URL.encodeToString(("{\"alg\":\"" + AlgorithmIdentifiers.HMAC_SHA256 + "\",\"kid\":" + json(kid)
                + ",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static String json(String value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }

    /**
     * Is this token meant for us? Routes the request only (the header's key id is one of ours); the token is
     * still verified in full. Staff tokens from Keycloak carry Keycloak's key ids and go to the OIDC tenant.
     */
    public boolean isOurs(String token) {
        int dot = token.indexOf('.');
        return dot > 0 && dot <= 1024 && key(token.substring(0, dot), false) != null;
    }

    /**
     * The HMAC key a token's header names, or null. The header we write is looked up as it is; another header
     * is parsed, and (when {@code strict}) must say HS256 and carry no {@code crit} extension.
     */
    private byte[] key(String encodedHeader, boolean strict) {
        byte[] key = keysByEncodedHeader.get(encodedHeader);
        if (key != null) {
            return key;
        }
        try {
            JsonNode header = JSON.readTree(BASE64URL_DECODER.decode(encodedHeader));
            byte[] named = keyBytes.get(header.path("kid").asText(""));
            if (named == null || strict && (!AlgorithmIdentifiers.HMAC_SHA256.equals(header.path("alg").asText()) || header.has("crit"))) {
                return null;
            }
            return named;
        } catch (IOException | RuntimeException e) { // whatever is wrong with a token, it is refused, never a 500
            return null;
        }
    }

    /** The verified session, or empty when the token is not valid (any reason: signature, expiry, claims). */
    public Optional<Session> verify(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            return Optional.empty();
        }
        try {
            byte[] key = key(token.substring(0, first), true);
            if (key == null || !MessageDigest.isEqual(hmac(key, token, second), BASE64URL_DECODER.decode(token.substring(second + 1)))) {
                return Optional.empty();
            }
            JsonNode claims = JSON.readTree(BASE64URL_DECODER.decode(token.substring(first + 1, second)));
            long now = Instant.now().getEpochSecond();
            JsonNode aud = claims.path("aud");
            boolean forStudents = aud.isArray() ? contains(aud, AUDIENCE) : AUDIENCE.equals(aud.textValue());
            if (!claims.isObject() || !issuer.equals(claims.path("iss").textValue()) || !forStudents
                    || !claims.path("exp").isIntegralNumber() || now >= claims.get("exp").longValue() + CLOCK_SKEW_SECONDS
                    || !claims.path("iat").isIntegralNumber()
                    || claims.has("nbf") && (!claims.get("nbf").isIntegralNumber() || now + CLOCK_SKEW_SECONDS < claims.get("nbf").longValue())
                    || !contains(claims.path("groups"), "student")) {
                return Optional.empty();
            }
            String subject = claims.path("sub").textValue();
            String campaign = claims.path(CAMPAIGN_ID).textValue();
            String school = claims.path(SCHOOL_ID).textValue();
            if (subject == null || campaign == null || school == null) {
                return Optional.empty();
            }
            return Optional.of(new Session(UUID.fromString(subject), UUID.fromString(campaign), school, jwtClaims(claims), token));
        } catch (IOException | RuntimeException e) { // whatever is wrong with a token, it is refused, never a 500
            return Optional.empty();
        }
    }

    private byte[] hmac(byte[] key, String token, int signedLength) {
        byte[] signingInput = token.substring(0, signedLength).getBytes(StandardCharsets.US_ASCII);
        if (key == currentKeyBytes) {
            return mac.get().doFinal(signingInput);
        }
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(signingInput);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static boolean contains(JsonNode array, String value) {
        if (array.isArray()) {
            for (JsonNode element : array) {
                if (value.equals(element.textValue())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The verified claims as the JsonWebToken principal carries them (strings, numbers, lists, maps). */
    private static JwtClaims jwtClaims(JsonNode claims) {
        JwtClaims out = new JwtClaims();
        claims.fields().forEachRemaining(e -> out.setClaim(e.getKey(),
                e.getValue().isIntegralNumber() ? e.getValue().longValue() : JSON.convertValue(e.getValue(), Object.class)));
        return out;
    }

    private static HmacKey key(String base64, String property) {
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + " is not base64", e);
        }
        if (bytes.length < 32) {
            throw new IllegalStateException(property + " must hold at least 32 random bytes (256 bits) for HS256");
        }
        return new HmacKey(bytes);
    }

    private static String kid(HmacKey key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return "ss-" + HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
