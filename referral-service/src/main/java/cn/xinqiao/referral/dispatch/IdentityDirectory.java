package cn.xinqiao.referral.dispatch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.util.Optional;

/** Resolves a pseudonymous student key to the identity the hospital needs; empty when the roster has no such student. */
@ApplicationScoped
public class IdentityDirectory {

    @Inject
    @RestClient
    ScreeningRoster roster;

    /** @throws IdentityUnavailable when screening-service cannot answer now (the caller retries later) */
    public Optional<StudentIdentity> find(String studentKey, String schoolId) {
        try {
            return Optional.of(roster.identity(studentKey, schoolId));
        } catch (WebApplicationException e) {
            if (e.getResponse() != null && e.getResponse().getStatus() == 404) {
                return Optional.empty();
            }
            throw new IdentityUnavailable("screening-service answered " + (e.getResponse() == null ? "nothing" : e.getResponse().getStatus()));
        } catch (RuntimeException e) {
            throw new IdentityUnavailable(e.getClass().getSimpleName());
        }
    }

    public static class IdentityUnavailable extends RuntimeException {
        public IdentityUnavailable(String why) {
            super(why);
        }
    }
}
