package cn.xinqiao.platform.tenancy;

import cn.xinqiao.platform.problem.Problem;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is calling, read from the verified token: the one way a service learns roles and
 * tenancy ({@code school_id}, {@code district_code}, {@code hospital_id}). Every scope check a
 * resource needs lives here, so "a counsellor sees only their school" is written once.
 */
@RequestScoped
public class Caller {

    public static final String SCHOOL_ID = "school_id";
    public static final String DISTRICT_CODE = "district_code";
    public static final String HOSPITAL_ID = "hospital_id";

    @Inject
    SecurityIdentity identity;

    @Inject
    JsonWebToken token;

    public boolean isAnonymous() {
        return identity.isAnonymous();
    }

    /** The token subject, or {@code anonymous}. Never a name. */
    public String subject() {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }

    public Set<String> roles() {
        return new TreeSet<>(identity.getRoles());
    }

    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }

    public boolean hasAnyRole(String... roles) {
        for (String role : roles) {
            if (identity.hasRole(role)) {
                return true;
            }
        }
        return false;
    }

    public Optional<String> schoolId() {
        return claim(SCHOOL_ID);
    }

    public Optional<String> districtCode() {
        return claim(DISTRICT_CODE);
    }

    public Optional<String> hospitalId() {
        return claim(HOSPITAL_ID);
    }

    public Optional<String> claim(String name) {
        if (identity.isAnonymous() || token == null || token.getRawToken() == null) {
            return Optional.empty();
        }
        Object value = token.getClaim(name);
        if (value == null) {
            return Optional.empty();
        }
        String text = value.toString().replace("\"", "").trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** School staff of exactly this school (platform admins act everywhere). */
    public boolean actsForSchool(String schoolId) {
        if (hasRole(Role.PLATFORM_ADMIN)) {
            return true;
        }
        return hasAnyRole(Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN)
                && schoolId != null && schoolId.equals(schoolId().orElse(null));
    }

    /** Area-level access (bureau analysts, hotline staff): the token's district covers the target. */
    public boolean coversDistrict(String districtCode) {
        if (hasRole(Role.PLATFORM_ADMIN)) {
            return true;
        }
        return districtCode().map(area -> Districts.covers(area, districtCode)).orElse(false);
    }

    public boolean actsForHospital(String hospitalId) {
        if (hasRole(Role.PLATFORM_ADMIN)) {
            return true;
        }
        return hasRole(Role.CLINICIAN) && hospitalId != null && hospitalId.equals(hospitalId().orElse(null));
    }

    public void requireSchool(String schoolId) {
        if (!actsForSchool(schoolId)) {
            throw Problem.forbidden("you may act only for your own school");
        }
    }

    public void requireDistrict(String districtCode) {
        if (!coversDistrict(districtCode)) {
            throw Problem.forbidden("this area is outside your jurisdiction");
        }
    }

    public void requireHospital(String hospitalId) {
        if (!actsForHospital(hospitalId)) {
            throw Problem.forbidden("you may act only for your own hospital");
        }
    }
}
