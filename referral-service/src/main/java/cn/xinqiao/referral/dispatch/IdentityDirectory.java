package cn.xinqiao.referral.dispatch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * screening-service's roster, as the green channel asks it: the identity the hospital needs (for a referral that is
 * open there), whether a key is a student of a school, and whether a discharge names one. Empty when the roster
 * has no such student.
 */
@ApplicationScoped
public class IdentityDirectory {

    @Inject
    @RestClient
    ScreeningRoster roster;

    /**
     * @param onBehalfOf the person whose action caused the lookup (recorded by screening with this service's account)
     * @throws IdentityUnavailable when screening-service cannot answer now, or does not see the referral open yet
     *                             (its status event is on its way): the caller retries later
     */
    public Optional<StudentIdentity> find(String studentKey, String schoolId, UUID referralId, String onBehalfOf) {
        return ask(() -> roster.identity(studentKey, schoolId, referralId, onBehalfOf));
    }

    /** Grade and sex of a student of the school (no identity): a counsellor's manual referral. */
    public Optional<ScreeningRoster.Enrolment> enrolment(String studentKey, String schoolId, String onBehalfOf) {
        return ask(() -> roster.enrolment(studentKey, schoolId, onBehalfOf));
    }

    /** Whether the number (in the key), name and birth date are one student of the school: a hospital's discharge. */
    public Optional<ScreeningRoster.Enrolment> match(String studentKey, String schoolId, String name, LocalDate birthDate, String onBehalfOf) {
        return ask(() -> roster.match(studentKey, onBehalfOf, new ScreeningRoster.MatchQuery(schoolId, name, birthDate)));
    }

    private static <T> Optional<T> ask(Supplier<T> call) {
        try {
            return Optional.of(call.get());
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
