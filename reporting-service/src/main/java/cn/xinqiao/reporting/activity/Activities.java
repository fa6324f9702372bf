package cn.xinqiao.reporting.activity;

import cn.xinqiao.platform.db.SqlValues;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.problem.ProblemDetails;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Districts;
import cn.xinqiao.platform.tenancy.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Mandated activities as records: a school's counsellor or admin records its lectures and group
 * counselling sessions (and teacher trainings it runs); a bureau analyst records teacher trainings
 * the bureau organises for its area. Titles are free text about an event, never about a student.
 */
@ApplicationScoped
public class Activities {

    public static final List<String> KINDS = List.of("LECTURE", "GROUP_COUNSELLING", "TEACHER_TRAINING");

    public record NewActivity(String kind, String schoolId, String districtCode, LocalDate heldOn, String title, Integer participants) {
    }

    public record ActivityView(UUID id, String kind, String schoolId, String districtCode, LocalDate heldOn, String title,
                               int participants, String recordedBy, OffsetDateTime recordedAt) {
    }

    @Inject
    EntityManager em;

    @Inject
    Caller caller;

    @Transactional
    public ActivityView record(NewActivity input, LocalDate today) {
        List<ProblemDetails.FieldError> errors = new ArrayList<>();
        if (input.kind() == null || !KINDS.contains(input.kind())) {
            errors.add(new ProblemDetails.FieldError("kind", "must be one of " + KINDS));
        }
        if (input.heldOn() == null) {
            errors.add(new ProblemDetails.FieldError("heldOn", "is required (a date: YYYY-MM-DD)"));
        } else if (input.heldOn().isAfter(today)) {
            errors.add(new ProblemDetails.FieldError("heldOn", "must not be in the future: record an activity once it has taken place"));
        } else if (input.heldOn().isBefore(today.minusYears(2))) {
            errors.add(new ProblemDetails.FieldError("heldOn", "is more than two years ago"));
        }
        if (input.title() == null || input.title().isBlank() || input.title().length() > 200) {
            errors.add(new ProblemDetails.FieldError("title", "is required, at most 200 characters"));
        }
        if (input.participants() == null || input.participants() < 0 || input.participants() > 100_000) {
            errors.add(new ProblemDetails.FieldError("participants", "must be between 0 and 100000"));
        }
        String school = input.schoolId();
        String district;
        if (school != null) {
            if (!school.matches("S[0-9]{9}")) {
                errors.add(new ProblemDetails.FieldError("schoolId", "must be a school id (S + 9 digits)"));
                district = null;
            } else {
                district = Districts.countyOfSchool(school);
            }
        } else {
            district = input.districtCode();
            if (district == null || !district.matches("[1-8][0-9]{5}")) {
                errors.add(new ProblemDetails.FieldError("schoolId", "give the school, or districtCode for a bureau teacher training"));
            } else if (!"TEACHER_TRAINING".equals(input.kind())) {
                errors.add(new ProblemDetails.FieldError("schoolId", "lectures and group counselling belong to a school"));
            }
        }
        if (!errors.isEmpty()) {
            throw Problem.invalid("the activity cannot be recorded", errors);
        }
        boolean allowed = school != null
                ? caller.actsForSchool(school) || (bureau() && caller.coversDistrict(district))
                : bureau() && caller.coversDistrict(district);
        if (!allowed) {
            throw Problem.forbidden(school != null ? "you may record activities only for your own school"
                    : "this area is outside your jurisdiction");
        }
        UUID id = UUID.randomUUID();
        em.createNativeQuery("""
                        insert into activity (id, kind, school_id, district_code, held_on, title, participants, recorded_by)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)""")
                .setParameter(1, id).setParameter(2, input.kind()).setParameter(3, school).setParameter(4, district)
                .setParameter(5, input.heldOn()).setParameter(6, input.title().strip()).setParameter(7, input.participants())
                .setParameter(8, caller.subject()).executeUpdate();
        return find(id);
    }

    @Transactional
    public void delete(UUID id) {
        ActivityView a = find(id);
        if (!mayChange(a)) {
            throw Problem.notFound("no such activity");
        }
        em.createNativeQuery("delete from activity where id = ?1").setParameter(1, id).executeUpdate();
    }

    /** Activities of a school, or of every school and bureau training under a district, in a date range. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ActivityView> list(String schoolId, String districtCode, LocalDate from, LocalDate to) {
        String filter;
        Object param;
        if (schoolId != null) {
            if (!caller.actsForSchool(schoolId) && !(bureau() && caller.coversDistrict(Districts.countyOfSchool(schoolId)))) {
                throw Problem.forbidden("this school is outside your jurisdiction");
            }
            filter = "school_id = ?1";
            param = schoolId;
        } else {
            String area = districtCode != null ? districtCode : caller.districtCode()
                    .orElseThrow(() -> Problem.badRequest("scope-required", "give schoolId or districtCode"));
            if (!bureau() || !caller.coversDistrict(area)) {
                throw Problem.forbidden("this area is outside your jurisdiction");
            }
            filter = "district_code like ?1";
            param = Districts.significantPrefix(area) + "%";
        }
        List<Tuple> rows = em.createNativeQuery("select * from activity where " + filter
                        + " and held_on between ?2 and ?3 order by held_on desc, recorded_at desc", Tuple.class)
                .setParameter(1, param).setParameter(2, from).setParameter(3, to).getResultList();
        return rows.stream().map(Activities::view).toList();
    }

    private ActivityView find(UUID id) {
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("select * from activity where id = ?1", Tuple.class).setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            throw Problem.notFound("no such activity");
        }
        return view(rows.get(0));
    }

    private boolean mayChange(ActivityView a) {
        return a.schoolId() != null ? caller.actsForSchool(a.schoolId())
                : bureau() && caller.coversDistrict(a.districtCode());
    }

    private boolean bureau() {
        return caller.hasAnyRole(Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN);
    }

    private static ActivityView view(Tuple t) {
        return new ActivityView((UUID) t.get("id"), (String) t.get("kind"), (String) t.get("school_id"),
                (String) t.get("district_code"), SqlValues.date(t.get("held_on")), (String) t.get("title"),
                ((Number) t.get("participants")).intValue(), (String) t.get("recorded_by"), SqlValues.time(t.get("recorded_at")));
    }
}
