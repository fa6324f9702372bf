package cn.xinqiao.screening.security;

import cn.xinqiao.screening.config.StudentSessionConfig;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
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
 * <p>Verification is jose4j's: only HS256 is accepted (no {@code none}, no algorithm confusion with the
 * staff tokens' RS256), issuer, audience, expiry and the student/campaign claims are required.
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
    private final HmacKey currentKey;
    private final Map<String, HmacKey> verificationKeys = new LinkedHashMap<>();
    private final JwtConsumer consumer;
    private final String issuerJson;
    private final String encodedHeader;
    private final ThreadLocal<Mac> mac;

    @Inject
    public StudentSessionTokens(StudentSessionConfig config) {
        this(config.issuer(), config.secret(), config.previousSecret());
    }

    public StudentSessionTokens(String issuer, String secret, Optional<String> previousSecret) {
        this.issuer = issuer;
        this.currentKey = key(secret, "xinqiao.student-session.secret");
        this.currentKid = kid(currentKey);
        this.issuerJson = json(issuer);
        this.encodedHeader = BASE64URL.encodeToString(("{\"alg\":\"" + AlgorithmIdentifiers.HMAC_SHA256 + "\",\"kid\":" + json(currentKid)
                + ",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
        byte[] signingKey = currentKey.getEncoded();
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(signingKey, "HmacSHA256"));
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        });
        verificationKeys.put(currentKid, currentKey);
        previousSecret.filter(s -> !s.isBlank()).map(s -> key(s, "xinqiao.student-session.previous-secret"))
                .ifPresent(k -> verificationKeys.put(kid(k), k));
        this.consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256)
                .setVerificationKeyResolver((jws, nesting) -> {
                    Key k = jws.getKeyIdHeaderValue() == null ? null : verificationKeys.get(jws.getKeyIdHeaderValue());
                    if (k == null) {
                        throw new UnresolvableKeyException("unknown student-session key id");
                    }
                    return k;
                })
                .setExpectedIssuer(issuer)
                .setExpectedAudience(AUDIENCE)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(30)
                .build();
    }

    /**
     * Signs a session: the compact JWS is assembled here (constant header, claims in a fixed order, one HMAC)
     * because this is the login hot path; jose4j's object model cost about a third of a login's CPU (JFR,
     * 2026-11-23). Verification stays jose4j's, and the tests verify what this produces with it.
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

    private static String json(String value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }

    /**
     * Is this token meant for us? Routes the request only (the header's key id is one of ours); the token is
     * still verified in full. Staff tokens from Keycloak carry Keycloak's key ids and go to the OIDC tenant.
     */
    public boolean isOurs(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot > 1024) {
            return false;
        }
        try {
            String header = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            Object kid = JsonUtil.parseJson(header).get("kid");
            return kid instanceof String k && verificationKeys.containsKey(k);
        } catch (IllegalArgumentException | JoseException e) {
            return false;
        }
    }

    /** The verified session, or empty when the token is not valid (any reason: signature, expiry, claims). */
    public Optional<Session> verify(String token) {
        try {
            JwtClaims claims = consumer.processToClaims(token);
            String campaign = claims.getStringClaimValue(CAMPAIGN_ID);
            String school = claims.getStringClaimValue(SCHOOL_ID);
            List<String> groups = claims.hasClaim("groups") ? claims.getStringListClaimValue("groups") : List.of();
            if (campaign == null || school == null || !groups.contains("student")) {
                return Optional.empty();
            }
            return Optional.of(new Session(UUID.fromString(claims.getSubject()), UUID.fromString(campaign), school, claims, token));
        } catch (InvalidJwtException | MalformedClaimException | IllegalArgumentException e) {
            return Optional.empty();
        }
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
