package cn.xinqiao.reporting.training;

import cn.xinqiao.platform.db.SqlValues;
import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.files.CsvText;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Teacher training coverage: a school's staff list, who attended which teacher training (an activity of kind
 * TEACHER_TRAINING organised by the city, the county or the school), and who is still untrained this year. Names are
 * the school's alone (every read audited); the bureau records trainings and attendance by staff number and sees counts.
 */
@ApplicationScoped
public class Training {

    public record ImportResult(int added, int updated, int deactivated, int active) {
    }

    public record StaffView(String staffId, String name, String role, String roleZh, int sessionsAttended, boolean trained) {
    }

    public record SessionView(UUID activityId, LocalDate heldOn, String title, String organiser, List<String> attendees) {
    }

    @Inject
    EntityManager em;

    @Inject
    Caller caller;

    @Inject
    AuditTrail audit;

    /** Replaces the school's staff list: listed people added or updated, unlisted ones kept as inactive (their attendance stays). */
    @Transactional
    public ImportResult importStaff(String schoolId, byte[] content) {
        requireSchoolStaff(schoolId);
        StaffRosterFile.Parsed parsed = StaffRosterFile.parse(content);
        if (!parsed.errors().isEmpty()) {
            throw Problem.invalid("the staff list cannot be imported: nothing was changed", parsed.errors());
        }
        Set<String> before = new LinkedHashSet<>(ids("select staff_id from staff_member where school_id = ?1", schoolId));
        int added = 0;
        int updated = 0;
        for (StaffRosterFile.Member m : parsed.members()) {
            em.createNativeQuery("""
                            insert into staff_member (school_id, staff_id, name, role, district_code, active, updated_at)
                            values (?1, ?2, ?3, ?4, ?5, true, now())
                            on conflict (school_id, staff_id) do update set name = excluded.name, role = excluded.role, active = true,
                                updated_at = now()""")
                    .setParameter(1, schoolId).setParameter(2, m.staffId()).setParameter(3, m.name()).setParameter(4, m.role().name())
                    .setParameter(5, Districts.countyOfSchool(schoolId)).executeUpdate();
            if (before.remove(m.staffId())) {
                updated++;
            } else {
                added++;
            }
        }
        int deactivated = before.isEmpty() ? 0 : em.createNativeQuery(
                        "update staff_member set active = false, updated_at = now() where school_id = ?1 and active and staff_id = any (?2)")
                .setParameter(1, schoolId).setParameter(2, before.toArray(String[]::new)).executeUpdate();
        audit.record(AuditTrail.Action.UPDATE, "staff-roster", schoolId, schoolId, "staff list imported");
        return new ImportResult(added, updated, deactivated, parsed.members().size());
    }

    /** The school's active staff with their trainings attended in the year; audited (names). */
    @Transactional
    public List<StaffView> staff(String schoolId, int year) {
        requireSchoolStaff(schoolId);
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("""
                        select s.staff_id, s.name, s.role,
                               (select count(*) from training_attendance t join activity a on a.id = t.activity_id
                                where t.school_id = s.school_id and t.staff_id = s.staff_id and a.held_on between ?2 and ?3) sessions
                        from staff_member s where s.school_id = ?1 and s.active order by sessions, s.staff_id""", Tuple.class)
                .setParameter(1, schoolId).setParameter(2, LocalDate.of(year, 1, 1)).setParameter(3, LocalDate.of(year, 12, 31))
                .getResultList();
        audit.record(AuditTrail.Action.READ, "staff-roster", schoolId, schoolId, "teacher training coverage " + year);
        return rows.stream().map(t -> {
            StaffRosterFile.StaffRole role = StaffRosterFile.StaffRole.valueOf((String) t.get("role"));
            int n = ((Number) t.get("sessions")).intValue();
            return new StaffView((String) t.get("staff_id"), (String) t.get("name"), role.name(), role.zh, n, n > 0);
        }).toList();
    }

    /** The trainings a school's teachers could attend in the year (the city's, the county's, the school's own), with its attendees. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SessionView> sessions(String schoolId, int year) {
        requireSchoolStaff(schoolId);
        String county = Districts.countyOfSchool(schoolId);
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("""
                        select a.id, a.held_on, a.title, coalesce(a.school_id, a.district_code) organiser,
                               coalesce((select array_to_string(array_agg(t.staff_id order by t.staff_id), ',') from training_attendance t
                                         where t.activity_id = a.id and t.school_id = ?1), '') attendees
                        from activity a where a.kind = 'TEACHER_TRAINING' and a.held_on between ?4 and ?5
                          and (a.school_id = ?1 or (a.school_id is null and a.district_code in (?2, ?3)))
                        order by a.held_on, a.recorded_at, a.id""", Tuple.class)
                .setParameter(1, schoolId).setParameter(2, county).setParameter(3, Districts.cityOf(county))
                .setParameter(4, LocalDate.of(year, 1, 1)).setParameter(5, LocalDate.of(year, 12, 31)).getResultList();
        return rows.stream().map(t -> {
            String attendees = (String) t.get("attendees");
            return new SessionView((UUID) t.get("id"), SqlValues.date(t.get("held_on")),
                    (String) t.get("title"), (String) t.get("organiser"), attendees.isEmpty() ? List.of() : List.of(attendees.split(",")));
        }).toList();
    }

    /** Ticking names: the school's attendance at one training becomes exactly these staff numbers. */
    @Transactional
    public SessionView tick(UUID activityId, String schoolId, List<String> staffIds) {
        requireSchoolStaff(schoolId);
        Tuple training = training(activityId);
        if (!covers(training, schoolId)) {
            throw Problem.notFound("no such teacher training for this school");
        }
        Set<String> wanted = new LinkedHashSet<>(staffIds);
        List<String> unknown = unknown(schoolId, wanted);
        if (!unknown.isEmpty()) {
            throw Problem.invalid("some staff numbers are not on the school's staff list: nothing was changed",
                    unknown.stream().limit(20).map(id -> new ProblemDetails.FieldError("staffIds", "not on the staff list: " + id)).toList());
        }
        em.createNativeQuery("delete from training_attendance where activity_id = ?1 and school_id = ?2 and staff_id <> all (?3)")
                .setParameter(1, activityId).setParameter(2, schoolId).setParameter(3, wanted.toArray(String[]::new)).executeUpdate();
        insert(activityId, schoolId, wanted);
        return sessions(schoolId, heldOn(training).getYear()).stream().filter(s -> s.activityId().equals(activityId)).findFirst().orElseThrow();
    }

    /**
     * An attendance list (CSV: 学校代码, 工号) added to a training: by the bureau that organised it (any school of its area) or by
     * a school for its own teachers. Every row is checked first; one bad row and nothing is stored.
     */
    @Transactional
    public int attendanceList(UUID activityId, byte[] content) {
        Tuple training = training(activityId);
        List<List<String>> rows;
        try {
            rows = CsvText.rows(CsvText.decode(content), 50_000, 10, "more than 50000 rows");
        } catch (CsvText.TooBig e) {
            throw Problem.invalid("the attendance list cannot be read", List.of(new ProblemDetails.FieldError("file", e.getMessage())));
        }
        if (rows.isEmpty() || !CsvText.header(rows.get(0).get(0)).matches("学校代码|schoolid|school_id")
                || rows.get(0).size() < 2 || !CsvText.header(rows.get(0).get(1)).matches("工号|staffid|staff_id")) {
            throw Problem.invalid("the attendance list cannot be read",
                    List.of(new ProblemDetails.FieldError("file", "the header row must be 学校代码,工号")));
        }
        Map<String, Set<String>> bySchool = new LinkedHashMap<>();
        List<ProblemDetails.FieldError> errors = new ArrayList<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.stream().allMatch(String::isBlank)) {
                continue;
            }
            String school = row.get(0).strip();
            String staff = row.size() > 1 ? row.get(1).strip() : "";
            if (!school.matches("S[0-9]{9}") || !staff.matches("[A-Za-z0-9-]{1,32}")) {
                errors.add(new ProblemDetails.FieldError("line " + (r + 1), "学校代码 is S + 9 digits, 工号 1–32 letters, digits or hyphens"));
            } else if (!covers(training, school) || !(caller.actsForSchool(school) || organises(training))) {
                errors.add(new ProblemDetails.FieldError("line " + (r + 1), "school " + school + " is not one this training is for, or not yours"));
            } else {
                bySchool.computeIfAbsent(school, k -> new LinkedHashSet<>()).add(staff);
            }
        }
        bySchool.forEach((school, staff) -> unknown(school, staff).forEach(id ->
                errors.add(new ProblemDetails.FieldError(school, "not on the staff list: " + id))));
        if (!errors.isEmpty() || bySchool.isEmpty()) {
            throw Problem.invalid("the attendance list cannot be stored: nothing was changed",
                    errors.isEmpty() ? List.of(new ProblemDetails.FieldError("file", "the list names nobody")) : errors.stream().limit(50).toList());
        }
        int added = 0;
        for (Map.Entry<String, Set<String>> e : bySchool.entrySet()) {
            added += insert(activityId, e.getKey(), e.getValue());
        }
        return added;
    }

    private int insert(UUID activityId, String schoolId, Set<String> staff) {
        if (staff.isEmpty()) {
            return 0;
        }
        return em.createNativeQuery("""
                        insert into training_attendance (activity_id, school_id, staff_id, recorded_by)
                        select ?1, ?2, unnest(?3), ?4 on conflict do nothing""")
                .setParameter(1, activityId).setParameter(2, schoolId).setParameter(3, staff.toArray(String[]::new))
                .setParameter(4, caller.subject()).executeUpdate();
    }

    private List<String> unknown(String schoolId, Set<String> staff) {
        Set<String> known = new LinkedHashSet<>(ids("select staff_id from staff_member where school_id = ?1 and active", schoolId));
        return staff.stream().filter(s -> !known.contains(s)).toList();
    }

    private Tuple training(UUID activityId) {
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("select * from activity where id = ?1 and kind = 'TEACHER_TRAINING'", Tuple.class)
                .setParameter(1, activityId).getResultList();
        if (rows.isEmpty()) {
            throw Problem.notFound("no such teacher training");
        }
        return rows.get(0);
    }

    /** Whether the training is one the school's teachers attend: the school's own, its county's or its city's. */
    private static boolean covers(Tuple training, String schoolId) {
        String own = (String) training.get("school_id");
        if (own != null) {
            return own.equals(schoolId);
        }
        String area = (String) training.get("district_code");
        String county = Districts.countyOfSchool(schoolId);
        return area.equals(county) || area.equals(Districts.cityOf(county));
    }

    private boolean organises(Tuple training) {
        String own = (String) training.get("school_id");
        return own == null && caller.hasAnyRole(Role.BUREAU_ANALYST) && caller.coversDistrict((String) training.get("district_code"));
    }

    private static LocalDate heldOn(Tuple t) {
        return SqlValues.date(t.get("held_on"));
    }

    private void requireSchoolStaff(String schoolId) {
        if (schoolId == null || !schoolId.matches("S[0-9]{9}")) {
            throw Problem.badRequest("bad-school", "schoolId must be S + 9 digits");
        }
        if (!caller.actsForSchool(schoolId)) {
            throw Problem.forbidden("a school's staff list is the school's own");
        }
    }

    @SuppressWarnings("unchecked")
    private List<String> ids(String sql, String schoolId) {
        return em.createNativeQuery(sql).setParameter(1, schoolId).getResultList();
    }
}
