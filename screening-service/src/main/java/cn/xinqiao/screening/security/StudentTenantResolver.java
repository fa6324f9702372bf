package cn.xinqiao.screening.security;

import cn.xinqiao.screening.config.StudentSessionConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.oidc.TenantResolver;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Base64;

/**
 * Sends bearer tokens issued by this service's student sessions to the {@code student} OIDC tenant (verified
 * with the session public key); everything else goes to Keycloak's default tenant. Reading the issuer here
 * only routes the token: its signature, issuer, audience and expiry are still verified by that tenant.
 */
@ApplicationScoped
public class StudentTenantResolver implements TenantResolver {

    public static final String TENANT = "student";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    StudentSessionConfig config;

    @Override
    public String resolve(RoutingContext context) {
        String authorization = context.request().getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String[] parts = authorization.substring(7).trim().split("\\.");
        if (parts.length != 3 || parts[1].length() > 4096) {
            return null;
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return config.issuer().equals(claims.path("iss").asText()) ? TENANT : null;
        } catch (Exception e) {
            return null; // not a JWT we can route: the default tenant will refuse it
        }
    }
}
