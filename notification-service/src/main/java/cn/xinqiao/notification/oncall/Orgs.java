package cn.xinqiao.notification.oncall;

import cn.xinqiao.notification.domain.AlertSpec.OrgKind;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Districts;
import cn.xinqiao.platform.tenancy.Role;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The organisations that keep an on-call list, by the shape of their id: a school {@code S370811001}, a hospital
 * {@code H370800001}, a bureau its district code {@code 370811}, a hotline {@code HL} + its area {@code HL370800}.
 * Who manages which list (and reads its delivery log) is decided here, once.
 */
public final class Orgs {

    private static final Pattern SCHOOL = Pattern.compile("S\\d{9}");
    private static final Pattern HOSPITAL = Pattern.compile("H\\d{9}");
    private static final Pattern BUREAU = Pattern.compile("\\d{6}");
    private static final Pattern HOTLINE = Pattern.compile("HL\\d{6}");

    private Orgs() {
    }

    public static Optional<OrgKind> kind(String orgId) {
        if (orgId == null) {
            return Optional.empty();
        }
        if (SCHOOL.matcher(orgId).matches()) {
            return Optional.of(OrgKind.SCHOOL);
        }
        if (HOSPITAL.matcher(orgId).matches()) {
            return Optional.of(OrgKind.HOSPITAL);
        }
        if (BUREAU.matcher(orgId).matches()) {
            return Optional.of(OrgKind.BUREAU);
        }
        if (HOTLINE.matcher(orgId).matches()) {
            return Optional.of(OrgKind.HOTLINE);
        }
        return Optional.empty();
    }

    public static OrgKind require(String orgId) {
        return kind(orgId).orElseThrow(() -> Problem.notFound("organisation"));
    }

    /** School admins their school, clinicians their hospital, analysts their area's bureaus, supervisors their hotline. */
    public static boolean manages(Caller caller, String orgId) {
        if (caller.hasRole(Role.PLATFORM_ADMIN)) {
            return true;
        }
        return switch (require(orgId)) {
            case SCHOOL -> caller.hasRole(Role.SCHOOL_ADMIN) && orgId.equals(caller.schoolId().orElse(null));
            case HOSPITAL -> caller.hasRole(Role.CLINICIAN) && orgId.equals(caller.hospitalId().orElse(null));
            case BUREAU -> caller.hasRole(Role.BUREAU_ANALYST) && caller.districtCode().map(d -> Districts.covers(d, orgId)).orElse(false);
            case HOTLINE -> caller.hasRole(Role.HOTLINE_SUPERVISOR) && orgId.equals("HL" + caller.districtCode().orElse(""));
        };
    }

    /** Managers, and the organisation's own staff (a counsellor sees who is on call at the school). */
    public static boolean reads(Caller caller, String orgId) {
        if (manages(caller, orgId)) {
            return true;
        }
        return switch (require(orgId)) {
            case SCHOOL -> caller.hasRole(Role.SCHOOL_COUNSELOR) && orgId.equals(caller.schoolId().orElse(null));
            case HOTLINE -> caller.hasRole(Role.HOTLINE_OPERATOR) && orgId.equals("HL" + caller.districtCode().orElse(""));
            default -> false;
        };
    }

    /** The organisation a staff member belongs to, for screens that default to "mine". */
    public static Optional<String> own(Caller caller) {
        if (caller.hasAnyRole(Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR)) {
            return caller.schoolId();
        }
        if (caller.hasRole(Role.CLINICIAN)) {
            return caller.hospitalId();
        }
        if (caller.hasAnyRole(Role.HOTLINE_SUPERVISOR, Role.HOTLINE_OPERATOR)) {
            return caller.districtCode().map(d -> "HL" + d);
        }
        return caller.districtCode();
    }

    /** The bureaus above an organisation, nearest first: its county's, then the city's (never the organisation itself). */
    public static java.util.List<String> bureausAbove(String districtCode, String orgId) {
        if (districtCode == null || districtCode.length() != 6) {
            return java.util.List.of();
        }
        return java.util.stream.Stream.of(districtCode, districtCode.substring(0, 4) + "00").distinct()
                .filter(code -> !code.equals(orgId)).toList();
    }
}
