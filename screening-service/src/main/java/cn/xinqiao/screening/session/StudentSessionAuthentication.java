package cn.xinqiao.screening.session;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.runtime.OidcJwtCallerPrincipal;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.Claims;

import java.util.Set;

/**
 * Authenticates student-session bearer tokens (issued by this service at access-code login) before the OIDC
 * mechanism sees them; every other bearer token (staff, from Keycloak) is left to OIDC. The identity looks
 * like an OIDC one (an {@link OidcJwtCallerPrincipal} with the access-token credential, role {@code student}),
 * so {@code JsonWebToken} injection and {@code Caller} work the same for students and staff.
 */
@ApplicationScoped
public class StudentSessionAuthentication implements HttpAuthenticationMechanism {

    /** The student's bearer token, handed from the mechanism to the identity provider. */
    public static final class StudentSessionRequest extends BaseAuthenticationRequest {
        final String token;

        StudentSessionRequest(String token) {
            this.token = token;
        }
    }

    @Inject
    StudentSessionTokens tokens;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String authorization = context.request().getHeader("Authorization");
        if (authorization == null || authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Uni.createFrom().nullItem();
        }
        String token = authorization.substring(7).trim();
        if (!tokens.isOurs(token)) {
            return Uni.createFrom().nullItem(); // a staff token: the OIDC mechanism verifies it
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new StudentSessionRequest(token), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(StudentSessionRequest.class);
    }

    @Override
    public int getPriority() {
        return HttpAuthenticationMechanism.DEFAULT_PRIORITY + 500; // before OIDC's bearer mechanism
    }

    /** Verifies the token's HMAC and claims (CPU only, a few microseconds: no blocking, no I/O). */
    @ApplicationScoped
    public static class StudentSessionIdentityProvider implements IdentityProvider<StudentSessionRequest> {

        @Inject
        StudentSessionTokens tokens;

        @Override
        public Class<StudentSessionRequest> getRequestType() {
            return StudentSessionRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(StudentSessionRequest request, AuthenticationRequestContext context) {
            return tokens.verify(request.token)
                    .map(session -> {
                        AccessTokenCredential credential = new AccessTokenCredential(session.raw());
                        session.claims().setClaim(Claims.raw_token.name(), session.raw());
                        SecurityIdentity identity = QuarkusSecurityIdentity.builder()
                                .setPrincipal(new OidcJwtCallerPrincipal(session.claims(), credential, "sub"))
                                .addCredential(credential)
                                .addRole("student")
                                .build();
                        return Uni.createFrom().item(identity);
                    })
                    .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("invalid student session")));
        }
    }
}
