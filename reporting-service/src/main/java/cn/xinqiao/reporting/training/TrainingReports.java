package cn.xinqiao.reporting.training;

import cn.xinqiao.platform.tenancy.Districts;
import cn.xinqiao.reporting.directory.Area;
import cn.xinqiao.reporting.directory.Areas;
import cn.xinqiao.reporting.domain.Compliance;
import cn.xinqiao.reporting.domain.Table;
import cn.xinqiao.reporting.domain.TableBuilder;
import cn.xinqiao.reporting.report.Report;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The notice's training measure for a year: every teacher trained (at least one teacher training attended in the
 * year; coverage per school, county, city, and by post), and at least five trainings held. Counts of staff, never
 * names: who is missing is on the school's own staff list.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class TrainingReports {

    @Inject
    EntityManager em;

    @Inject
    Areas areas;

    public Report report(Area area, int year, LocalDate today) {
        String group = switch (area.level()) {
            case CITY -> "s.district_code";
            case COUNTY -> "s.school_id";
            case SCHOOL -> "s.role";
        };
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("""
                        with trained as (
                            select distinct t.school_id, t.staff_id from training_attendance t join activity a on a.id = t.activity_id
                            where a.held_on between ?2 and ?3)
                        select %s as code, count(*) teachers, count(x.staff_id) trained,
                               count(*) filter (where s.role = 'HEAD_TEACHER') heads,
                               count(x.staff_id) filter (where s.role = 'HEAD_TEACHER') heads_trained,
                               count(*) filter (where s.role = 'PSYCHOLOGY_TEACHER') psych,
                               count(x.staff_id) filter (where s.role = 'PSYCHOLOGY_TEACHER') psych_trained
                        from staff_member s left join trained x on x.school_id = s.school_id and x.staff_id = s.staff_id
                        where s.active and %s group by 1 order by 1""".formatted(group,
                        area.isSchool() ? "s.school_id = ?1" : "s.district_code like ?1"), Tuple.class)
                .setParameter(1, area.isSchool() ? area.code() : area.districtPattern())
                .setParameter(2, LocalDate.of(year, 1, 1)).setParameter(3, LocalDate.of(year, 12, 31)).getResultList();
        TableBuilder t = new TableBuilder("coverage", year + "年教师培训覆盖", "Teachers trained in " + year,
                switch (area.level()) {
                    case CITY -> "区县";
                    case COUNTY -> "学校";
                    case SCHOOL -> "岗位";
                })
                .column(Table.Column.figure("teachers", "在编教职工", "Staff"))
                .column(Table.Column.figure("trained", "已培训", "Trained"))
                .column(Table.Column.percentOf("coverage", "覆盖率", "Coverage", 0, List.of(1)))
                .column(Table.Column.figure("untrained", "未培训", "Not yet trained"))
                .column(Table.Column.figure("heads", "班主任", "Head teachers"))
                .column(Table.Column.figure("headsTrained", "班主任已培训", "Head teachers trained"))
                .column(Table.Column.figure("psych", "心理教师", "Psychology teachers"))
                .column(Table.Column.figure("psychTrained", "心理教师已培训", "Psychology teachers trained"))
                .drill(area.level().child);
        long[] sum = new long[6];
        for (Tuple r : rows) {
            String code = (String) r.get("code");
            long[] v = {n(r, "teachers"), n(r, "trained"), n(r, "heads"), n(r, "heads_trained"), n(r, "psych"), n(r, "psych_trained")};
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i];
            }
            t.row(code, name(area, code), cells(v));
        }
        t.totals(cells(sum));
        long held = held(area, year);
        Compliance.Status status = Compliance.status(held, Compliance.TRAININGS_PER_YEAR, LocalDate.of(year, 12, 31), today);
        TableBuilder sessions = new TableBuilder("sessions", year + "年教师培训场次", "Teacher trainings held in " + year, "范围")
                .column(Table.Column.figure("held", "已举办", "Held"))
                .column(Table.Column.figure("required", "要求", "Required"))
                .column(Table.Column.text("status", "状态", "Status"));
        sessions.only(area.name(), Table.Cell.count(held), Table.Cell.count(Compliance.TRAININGS_PER_YEAR), Table.Cell.text(status.zh));
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("year", Integer.toString(year));
        return new Report("training", "教师心理健康培训覆盖情况", area.level().id(), area.code(), area.name(), filters,
                OffsetDateTime.now(ZoneOffset.UTC), List.of(t.build(), sessions.build()), List.of(
                        "已培训：当年至少参加一次市、区县或本校组织的教师培训 (trained: attended at least one teacher training of the city, the county or the school in the year)",
                        "要求：全年至少开展 5 期，确保培训全覆盖；未培训教师名单仅本校可见 (at least 5 trainings a year and every teacher trained; who is missing is visible to the school only)",
                        "场次含市级、区县级与校级培训 (trainings of the city, the county and the schools count)"));
    }

    /** Trainings the area's teachers could attend: the city's, its counties' and its schools' own. */
    private long held(Area area, int year) {
        String county = area.isSchool() ? Districts.countyOfSchool(area.code()) : area.code();
        var query = switch (area.level()) {
            case CITY -> em.createNativeQuery("select count(*) from activity where kind = 'TEACHER_TRAINING' and held_on between ?1 and ?2"
                    + " and district_code like ?3").setParameter(3, area.districtPattern());
            case COUNTY -> em.createNativeQuery("select count(*) from activity where kind = 'TEACHER_TRAINING' and held_on between ?1 and ?2"
                    + " and (district_code = ?3 or (school_id is null and district_code = ?4))")
                    .setParameter(3, county).setParameter(4, Districts.cityOf(county));
            case SCHOOL -> em.createNativeQuery("select count(*) from activity where kind = 'TEACHER_TRAINING' and held_on between ?1 and ?2"
                    + " and (school_id = ?3 or (school_id is null and district_code in (?4, ?5)))")
                    .setParameter(3, area.code()).setParameter(4, county).setParameter(5, Districts.cityOf(county));
        };
        return ((Number) query.setParameter(1, LocalDate.of(year, 1, 1)).setParameter(2, LocalDate.of(year, 12, 31))
                .getSingleResult()).longValue();
    }

    private String name(Area area, String code) {
        return switch (area.level()) {
            case CITY -> areas.districtName(code);
            case COUNTY -> areas.schoolName(code);
            case SCHOOL -> StaffRosterFile.StaffRole.valueOf(code).zh;
        };
    }

    private static Table.Cell[] cells(long[] v) {
        return new Table.Cell[]{Table.Cell.count(v[0]), Table.Cell.count(v[1]), Table.Cell.percent(v[0] == 0 ? null : 100.0 * v[1] / v[0]),
                Table.Cell.count(v[0] - v[1]), Table.Cell.count(v[2]), Table.Cell.count(v[3]), Table.Cell.count(v[4]), Table.Cell.count(v[5])};
    }

    private static long n(Tuple t, String column) {
        return ((Number) t.get(column)).longValue();
    }
}
