package cn.xinqiao.testing;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Signed bearer tokens shaped like Keycloak's for realm {@code xinqiao}: roles in
 * {@code realm_access.roles}, tenancy in {@code school_id} / {@code district_code} /
 * {@code hospital_id}, audience {@code xinqiao-api}. Services verify them for real.
 */
public final class TestTokens {

    private static final PrivateKey KEY = privateKey();

    private TestTokens() {
    }

    public static Builder as(String subject, String... roles) {
        return new Builder(subject, List.of(roles));
    }

    public static String counselor(String schoolId, String districtCode) {
        return as("counselor-" + schoolId, "school-counselor").school(schoolId).district(districtCode).token();
    }

    public static String clinician(String hospitalId) {
        return as("clinician-" + hospitalId, "clinician").hospital(hospitalId).district("370800").token();
    }

    public static String analyst(String districtCode) {
        return as("analyst-" + districtCode, "bureau-analyst").district(districtCode).token();
    }

    public static final class Builder {
        private final String subject;
        private final List<String> roles;
        private final Map<String, String> claims = new java.util.HashMap<>();
        private String audience = "xinqiao-api";
        private String issuer = XinqiaoInfrastructure.ISSUER;
        private Instant expiresAt = Instant.now().plus(Duration.ofMinutes(15));

        private Builder(String subject, List<String> roles) {
            this.subject = subject;
            this.roles = roles;
        }

        public Builder school(String schoolId) {
            claims.put("school_id", schoolId);
            return this;
        }

        public Builder district(String code) {
            claims.put("district_code", code);
            return this;
        }

        public Builder hospital(String hospitalId) {
            claims.put("hospital_id", hospitalId);
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder expired() {
            this.expiresAt = Instant.now().minus(Duration.ofMinutes(10));
            return this;
        }

        public String token() {
            JwtClaimsBuilder builder = Jwt.issuer(issuer)
                    .subject(subject)
                    .audience(audience)
                    .claim("preferred_username", subject)
                    .claim("realm_access", Map.of("roles", roles))
                    .issuedAt(expiresAt.minus(Duration.ofMinutes(15)))
                    .expiresAt(expiresAt);
            claims.forEach(builder::claim);
            return builder.jws().keyId("xinqiao-test").sign(KEY);
        }
    }

    private static PrivateKey privateKey() {
        try {
            String pem = XinqiaoInfrastructure.pem("/xinqiao-test/privateKey.pem")
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (Exception e) {
            throw new IllegalStateException("test signing key unreadable", e);
        }
    }
}
