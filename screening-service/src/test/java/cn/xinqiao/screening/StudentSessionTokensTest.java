package cn.xinqiao.screening;

import cn.xinqiao.screening.session.StudentSessionTokens;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The student-session token: what it accepts, and every way a forged, stale or foreign token is refused. */
class StudentSessionTokensTest {

    static final String ISSUER = "https://xinqiao.cn/screening/student-session";
    static final String SECRET = secret('a');
    static final String OLD_SECRET = secret('b');
    static final UUID STUDENT = UUID.randomUUID();
    static final UUID CAMPAIGN = UUID.randomUUID();

    final StudentSessionTokens tokens = new StudentSessionTokens(ISSUER, SECRET, Optional.of(OLD_SECRET));
    final Instant now = Instant.now();

    @Test
    void aSignedTokenVerifiesWithItsStudentCampaignAndSchool() {
        String token = tokens.sign(STUDENT, CAMPAIGN, "S370811001", now, now.plus(Duration.ofHours(2)));
        assertTrue(tokens.isOurs(token));
        StudentSessionTokens.Session session = tokens.verify(token).orElseThrow();
        assertEquals(STUDENT, session.studentId());
        assertEquals(CAMPAIGN, session.campaignId());
        assertEquals("S370811001", session.schoolId());
        assertEquals("HS256", header(token).replaceAll(".*\"alg\":\"([^\"]+)\".*", "$1"));
    }

    @Test
    void theHandAssembledTokenIsStandardJwtThatJose4jVerifies() throws Exception {
        String odd = "https://xinqiao.cn/\"quoted\"\\path/学校";
        StudentSessionTokens withOddIssuer = new StudentSessionTokens(odd, SECRET, Optional.empty());
        Instant issued = Instant.ofEpochSecond(now.getEpochSecond());
        String token = withOddIssuer.sign(STUDENT, CAMPAIGN, "S37\"0811001", issued, issued.plus(Duration.ofHours(2)));
        StudentSessionTokens.Session session = withOddIssuer.verify(token).orElseThrow();
        assertEquals(odd, session.claims().getIssuer(), "characters JSON must escape survive the round trip");
        assertEquals("S37\"0811001", session.schoolId());
        assertEquals(issued.getEpochSecond(), session.claims().getIssuedAt().getValue());
        assertEquals(issued.plus(Duration.ofHours(2)).getEpochSecond(), session.claims().getExpirationTime().getValue());
        assertEquals(java.util.List.of(StudentSessionTokens.AUDIENCE), session.claims().getAudience());
        assertEquals("{\"alg\":\"HS256\",\"kid\":\"" + header(token).replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1") + "\",\"typ\":\"JWT\"}",
                header(token));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        jws.setKey(new HmacKey(Base64.getDecoder().decode(SECRET)));
        assertTrue(jws.verifySignature(), "jose4j's own signature check");
    }

    @Test
    void aTokenSignedBeforeTheLastRotationStillVerifiesAndAnUnknownKeyDoesNot() {
        StudentSessionTokens before = new StudentSessionTokens(ISSUER, OLD_SECRET, Optional.empty());
        String old = before.sign(STUDENT, CAMPAIGN, "S370811001", now, now.plus(Duration.ofHours(1)));
        assertTrue(tokens.verify(old).isPresent());
        StudentSessionTokens stranger = new StudentSessionTokens(ISSUER, secret('c'), Optional.empty());
        String foreign = stranger.sign(STUDENT, CAMPAIGN, "S370811001", now, now.plus(Duration.ofHours(1)));
        assertFalse(tokens.isOurs(foreign));
        assertTrue(tokens.verify(foreign).isEmpty());
    }

    @Test
    void tamperedExpiredOrForeignClaimsAreRefused() {
        String token = tokens.sign(STUDENT, CAMPAIGN, "S370811001", now, now.plus(Duration.ofHours(2)));
        String[] parts = token.split("\\.");
        String otherSchool = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("S370811001", "S370812001");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(otherSchool.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertTrue(tokens.verify(tampered).isEmpty(), "a changed claim breaks the signature");
        assertTrue(tokens.verify(parts[0] + "." + parts[1] + ".").isEmpty(), "no signature");
        assertTrue(tokens.verify(tokens.sign(STUDENT, CAMPAIGN, "S370811001", now.minus(Duration.ofHours(3)), now.minus(Duration.ofHours(1)))).isEmpty(),
                "expired");
        assertTrue(new StudentSessionTokens("https://elsewhere.example/issuer", SECRET, Optional.empty()).verify(token).isEmpty(),
                "another issuer");
        assertTrue(tokens.verify("not.a.token").isEmpty());
        assertFalse(tokens.isOurs("garbage"));
    }

    @Test
    void onlyHs256WithOurKeyIsAccepted() throws Exception {
        String kid = tokens.isOurs(tokens.sign(STUDENT, CAMPAIGN, "S370811001", now, now.plusSeconds(60)))
                ? header(tokens.sign(STUDENT, CAMPAIGN, "S370811001", now, now.plusSeconds(60))).replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1") : null;
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(STUDENT.toString());
        claims.setAudience(StudentSessionTokens.AUDIENCE);
        claims.setStringListClaim("groups", "student");
        claims.setClaim("campaign_id", CAMPAIGN.toString());
        claims.setClaim("school_id", "S370811001");
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);

        JsonWebSignature none = new JsonWebSignature();
        none.setPayload(claims.toJson());
        none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        none.setKeyIdHeaderValue(kid);
        none.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        assertTrue(tokens.verify(none.getCompactSerialization()).isEmpty(), "alg none");

        JsonWebSignature hs512 = new JsonWebSignature();
        hs512.setPayload(claims.toJson());
        hs512.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA512);
        hs512.setKeyIdHeaderValue(kid);
        hs512.setKey(new HmacKey(("a".repeat(64)).getBytes(StandardCharsets.US_ASCII)));
        assertTrue(tokens.verify(hs512.getCompactSerialization()).isEmpty(), "another algorithm");

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        JsonWebSignature rs256 = new JsonWebSignature();
        rs256.setPayload(claims.toJson());
        rs256.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        rs256.setKeyIdHeaderValue(kid);
        rs256.setKey(rsa.generateKeyPair().getPrivate());
        assertTrue(tokens.verify(rs256.getCompactSerialization()).isEmpty(), "an RS256 token with our key id");

        JsonWebSignature ours = new JsonWebSignature();
        ours.setPayload(claims.toJson());
        ours.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        ours.setKeyIdHeaderValue(kid);
        ours.setKey(new HmacKey(Base64.getDecoder().decode(SECRET)));
        assertTrue(tokens.verify(ours.getCompactSerialization()).isPresent(), "the same claims signed properly pass (the checks above can fail)");

        assertTrue(tokens.verify(ours.getCompactSerialization() + ".x").isEmpty(), "a fourth part");
        JsonWebSignature critical = new JsonWebSignature();
        critical.setPayload(claims.toJson());
        critical.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        critical.setKeyIdHeaderValue(kid);
        critical.setHeader("crit", "exp");
        critical.setKey(new HmacKey(Base64.getDecoder().decode(SECRET)));
        assertTrue(tokens.verify(critical.getCompactSerialization()).isEmpty(), "a critical header extension we do not understand");

        claims.setNotBeforeMinutesInThePast(-5);
        ours.setPayload(claims.toJson());
        assertTrue(tokens.verify(ours.getCompactSerialization()).isEmpty(), "not valid before five minutes from now");
        claims.setNotBeforeMinutesInThePast(1);
        claims.setAudience("xinqiao-staff");
        ours.setPayload(claims.toJson());
        assertTrue(tokens.verify(ours.getCompactSerialization()).isEmpty(), "for another audience");
        claims.setAudience("xinqiao-staff", StudentSessionTokens.AUDIENCE);
        ours.setPayload(claims.toJson());
        assertTrue(tokens.verify(ours.getCompactSerialization()).isPresent(), "an audience list that names students");
        claims.setStringListClaim("groups", "school-counselor");
        ours.setPayload(claims.toJson());
        assertTrue(tokens.verify(ours.getCompactSerialization()).isEmpty(), "not in the student group");
        claims.setStringListClaim("groups", "student");
        claims.unsetClaim("iat");
        ours.setPayload(claims.toJson());
        assertTrue(tokens.verify(ours.getCompactSerialization()).isEmpty(), "no issued-at");
        claims.setIssuedAtToNow();

        claims.unsetClaim("campaign_id");
        ours.setPayload(claims.toJson());
        assertTrue(tokens.verify(ours.getCompactSerialization()).isEmpty(), "properly signed, but bound to no campaign");
    }

    @Test
    void aShortSecretIsRefusedAtStartup() {
        assertThrows(IllegalStateException.class,
                () -> new StudentSessionTokens(ISSUER, Base64.getEncoder().encodeToString(new byte[16]), Optional.empty()));
    }

    static String secret(char c) {
        return Base64.getEncoder().encodeToString(String.valueOf(c).repeat(32).getBytes(StandardCharsets.US_ASCII));
    }

    static String header(String token) {
        return new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
    }
}
