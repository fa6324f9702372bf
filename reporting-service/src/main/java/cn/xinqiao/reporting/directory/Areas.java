package cn.xinqiao.reporting.directory;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Districts;
import cn.xinqiao.platform.tenancy.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

/**
 * Turns {@code level} + {@code code} into an {@link Area} the caller may see, or a problem: 400 for
 * a malformed level or code, 403 outside the caller's jurisdiction. Enforced here, on the server, for
 * every report and export: an analyst sees their district (a city code covers its counties), school
 * staff only their own school, platform admins everything.
 */
@ApplicationScoped
public class Areas {

    private final Properties names = new Properties();

    @Inject
    Caller caller;

    @Inject
    EntityManager em;

    public Areas() {
        try (InputStream in = Areas.class.getResourceAsStream("/districts.properties")) {
            if (in != null) {
                names.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Area resolve(String level, String code) {
        if (level == null || !List.of("city", "county", "school").contains(level)) {
            throw Problem.badRequest("bad-level", "level must be city, county or school");
        }
        Area.Level l = Area.Level.valueOf(level.toUpperCase());
        boolean wellFormed = switch (l) {
            case SCHOOL -> code != null && code.matches("S[0-9]{9}");
            case CITY -> code != null && code.matches("[1-8][0-9]{3}00");
            case COUNTY -> code != null && Districts.isCounty(code) && code.matches("[1-8][0-9]{5}");
        };
        if (!wellFormed) {
            throw Problem.badRequest("bad-code", switch (l) {
                case SCHOOL -> "code must be a school id (S + 9 digits)";
                case CITY -> "code must be a city code (6 digits ending in 00)";
                case COUNTY -> "code must be a county code (6 digits, not ending in 00)";
            });
        }
        boolean allowed = l == Area.Level.SCHOOL
                ? caller.actsForSchool(code) || areaStaff() && caller.coversDistrict(Districts.countyOfSchool(code))
                : areaStaff() && caller.coversDistrict(code);
        if (!allowed) {
            throw Problem.forbidden("this area is outside your jurisdiction");
        }
        return new Area(l, code, name(l, code));
    }

    /** Area-level readers; school staff carry a district claim too, but it never widens their view. */
    private boolean areaStaff() {
        return caller.hasAnyRole(Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN, Role.HOTLINE_SUPERVISOR, Role.EXPERT_REVIEWER);
    }

    public String districtName(String code) {
        return code == null ? "地区不详" : names.getProperty(code, code);
    }

    public String schoolName(String schoolId) {
        @SuppressWarnings("unchecked")
        List<String> found = em.createNativeQuery("select name from school_dim where school_id = ?1")
                .setParameter(1, schoolId).getResultList();
        return found.isEmpty() ? schoolId : found.get(0);
    }

    public String hospitalName(String hospitalId) {
        @SuppressWarnings("unchecked")
        List<String> found = em.createNativeQuery("select name from hospital_dim where hospital_id = ?1")
                .setParameter(1, hospitalId).getResultList();
        return found.isEmpty() ? hospitalId : found.get(0);
    }

    private String name(Area.Level level, String code) {
        return level == Area.Level.SCHOOL ? schoolName(code) : districtName(code);
    }
}
