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

    /**
     * School staff of exactly this school. Platform admins administer the platform (directory, hospitals,
     * campaigns, rebuilds) but never act for a school: rosters, answers, cases and risk queues are the school's.
     */
    public boolean actsForSchool(String schoolId) {
        return hasAnyRole(Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN)
                && schoolId != null && schoolId.equals(schoolId().orElse(null));
    }

    /** Imports this school's roster and prints its slips: its staff, or a roster-sync service account of its area. */
    public boolean syncsRosterOf(String schoolId) {
        return actsForSchool(schoolId) || (hasRole(Role.ROSTER_SYNC) && schoolId != null && schoolId.length() == 10
                && districtCode().map(area -> Districts.covers(area, Districts.countyOfSchool(schoolId))).orElse(false));
    }

    /** Oversight without identity (progress counts, alerts): the bureau covering the county, or the platform admin. */
    public boolean overseesCounty(String countyCode) {
        return hasRole(Role.PLATFORM_ADMIN) || (hasRole(Role.BUREAU_ANALYST) && coversDistrict(countyCode));
    }

    /** Area-level access (bureau analysts, hotline staff; platform admins everywhere): the token's district covers the target. */
    public boolean coversDistrict(String districtCode) {
        if (hasRole(Role.PLATFORM_ADMIN)) {
            return true;
        }
        return districtCode().map(area -> Districts.covers(area, districtCode)).orElse(false);
    }

    /** A clinician of exactly this hospital (platform admins do not read referrals). */
    public boolean actsForHospital(String hospitalId) {
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
