package cn.xinqiao.reporting.activity;

import cn.xinqiao.reporting.directory.Area;
import cn.xinqiao.reporting.directory.Areas;
import cn.xinqiao.reporting.domain.Compliance;
import cn.xinqiao.reporting.domain.Semester;
import cn.xinqiao.reporting.domain.Table;
import cn.xinqiao.reporting.domain.TableBuilder;
import cn.xinqiao.reporting.report.Report;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mandated-activity compliance for a semester: per school (lectures ≥ 1, group counselling ≥ 4, due on
 * the semester's last day), per county (share of compliant schools) with the ranking for the bureau's
 * circular (通报), laggards first, and the city's teacher trainings in the calendar year (≥ 5).
 * Activities are events, not people: nothing here is suppressed.
 */
@ApplicationScoped
public class ActivityReports {

    @Inject
    EntityManager em;

    @Inject
    Areas areas;

    /** A school's mandated activities in a semester. */
    public record SchoolTally(String schoolId, String name, String district, long lectures, long groups, long trainings) {
        public boolean compliant() {
            return lectures >= Compliance.LECTURES_PER_SEMESTER && groups >= Compliance.GROUP_SESSIONS_PER_SEMESTER;
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Report report(Area area, Semester semester, LocalDate today) {
        List<SchoolTally> schools = tallies(area, semester.first(), semester.last());
        LocalDate due = semester.last();
        List<Table> tables = new ArrayList<>();
        if (area.level() == Area.Level.CITY) {
            tables.add(countyRanking(schools, due, today));
        }
        tables.add(schoolTable(area, schools, due, today));
        tables.add(trainings(area, semester.first().getYear(), today));
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("semester", semester.id());
        filters.put("semesterLabel", semester.label());
        filters.put("dueOn", due.toString());
        return new Report("activities", "心理健康教育活动落实情况", area.level().id(), area.code(), area.name(), filters,
                OffsetDateTime.now(ZoneOffset.UTC), tables, List.of(
                        "要求：每校每学期心理健康讲座不少于1次、团体辅导不少于4次；全市每年教师培训不少于5次 (each school: ≥1 lecture and ≥4 group sessions per semester; the city: ≥5 teacher trainings per year)",
                        "区县排名按达标学校占比从低到高（落后者在前），用于通报 (counties ranked by share of compliant schools, laggards first)"));
    }

    /** Every school under the area with its activities held between the two days (schools without any too). */
    public List<SchoolTally> tallies(Area area, LocalDate from, LocalDate to) {
        String filter = area.isSchool() ? "d.school_id = ?1" : "d.district_code like ?1";
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select d.school_id, d.name, d.district_code,
                               count(a.id) filter (where a.kind = 'LECTURE'),
                               count(a.id) filter (where a.kind = 'GROUP_COUNSELLING'),
                               count(a.id) filter (where a.kind = 'TEACHER_TRAINING')
                        from school_dim d left join activity a on a.school_id = d.school_id and a.held_on between ?2 and ?3
                        where %s and (d.closed_on is null or d.closed_on > ?3)
                        group by d.school_id, d.name, d.district_code order by d.district_code, d.school_id""".formatted(filter))
                .setParameter(1, area.isSchool() ? area.code() : area.districtPattern())
                .setParameter(2, from).setParameter(3, to).getResultList();
        return rows.stream().map(r -> new SchoolTally((String) r[0], (String) r[1], (String) r[2], ((Number) r[3]).longValue(),
                ((Number) r[4]).longValue(), ((Number) r[5]).longValue())).toList();
    }

    private Table schoolTable(Area area, List<SchoolTally> schools, LocalDate due, LocalDate today) {
        TableBuilder t = new TableBuilder("schools", "各学校落实情况（截止 " + due + "）", "Schools (due " + due + ")", "学校")
                .column(Table.Column.figure("lectures", "心理讲座", "Lectures"))
                .column(Table.Column.text("lectureStatus", "讲座(≥1)", "Lectures ≥1"))
                .column(Table.Column.figure("groups", "团体辅导", "Group sessions"))
                .column(Table.Column.text("groupStatus", "团辅(≥4)", "Group sessions ≥4"))
                .column(Table.Column.figure("trainings", "教师培训", "Teacher trainings"))
                .column(Table.Column.text("compliant", "是否达标", "Compliant"));
        List<SchoolTally> ordered = new ArrayList<>(schools);
        ordered.sort(Comparator.comparing(SchoolTally::compliant).thenComparingLong(s -> s.lectures() + s.groups())
                .thenComparing(SchoolTally::schoolId));
        for (SchoolTally s : ordered) {
            Compliance.Status lecture = Compliance.status(s.lectures(), Compliance.LECTURES_PER_SEMESTER, due, today);
            Compliance.Status group = Compliance.status(s.groups(), Compliance.GROUP_SESSIONS_PER_SEMESTER, due, today);
            t.row(s.schoolId(), s.name(), Table.Cell.count(s.lectures()), Table.Cell.text(lecture.zh), Table.Cell.count(s.groups()),
                    Table.Cell.text(group.zh), Table.Cell.count(s.trainings()), Table.Cell.text(s.compliant() ? "是" : "否"));
        }
        long compliant = schools.stream().filter(SchoolTally::compliant).count();
        t.totals(Table.Cell.count(schools.stream().mapToLong(SchoolTally::lectures).sum()), Table.Cell.text(""),
                Table.Cell.count(schools.stream().mapToLong(SchoolTally::groups).sum()), Table.Cell.text(""),
                Table.Cell.count(schools.stream().mapToLong(SchoolTally::trainings).sum()),
                Table.Cell.text(compliant + "/" + schools.size() + " 校达标"));
        return t.build();
    }

    private Table countyRanking(List<SchoolTally> schools, LocalDate due, LocalDate today) {
        Map<String, List<SchoolTally>> byCounty = new LinkedHashMap<>();
        schools.forEach(s -> byCounty.computeIfAbsent(s.district(), k -> new ArrayList<>()).add(s));
        record CountyRow(String code, long schools, long compliant, long overdue, double rate) {
        }
        List<CountyRow> rows = new ArrayList<>();
        byCounty.forEach((code, list) -> {
            long ok = list.stream().filter(SchoolTally::compliant).count();
            long overdue = today.isAfter(due) ? list.size() - ok : 0;
            rows.add(new CountyRow(code, list.size(), ok, overdue, list.isEmpty() ? 0 : 100.0 * ok / list.size()));
        });
        rows.sort(Comparator.comparingDouble(CountyRow::rate).thenComparing(CountyRow::code));
        TableBuilder t = new TableBuilder("county-ranking", "区县落实情况排名（通报，落后者在前）", "County ranking for the circular (laggards first)", "区县")
                .column(Table.Column.figure("rank", "排名（由低到高）", "Rank (lowest first)"))
                .column(Table.Column.figure("schools", "学校数", "Schools"))
                .column(Table.Column.figure("compliant", "达标学校", "Compliant schools"))
                .column(Table.Column.percent("rate", "达标率", "Compliance rate", 2))
                .column(Table.Column.figure("overdue", "逾期未达标", "Overdue")).drill("county");
        int rank = 1;
        for (CountyRow r : rows) {
            t.row(r.code(), areas.districtName(r.code()), Table.Cell.count(rank++), Table.Cell.count(r.schools()),
                    Table.Cell.count(r.compliant()), Table.Cell.percent(r.rate()), Table.Cell.count(r.overdue()));
        }
        long all = rows.stream().mapToLong(CountyRow::schools).sum();
        long ok = rows.stream().mapToLong(CountyRow::compliant).sum();
        t.totals(Table.Cell.empty(), Table.Cell.count(all), Table.Cell.count(ok), Table.Cell.percent(all == 0 ? null : 100.0 * ok / all),
                Table.Cell.count(rows.stream().mapToLong(CountyRow::overdue).sum()));
        return t.build();
    }

    private Table trainings(Area area, int year, LocalDate today) {
        String city = area.isSchool() ? area.code().substring(1, 5) + "00" : area.code().substring(0, 4) + "00";
        Object n = em.createNativeQuery("""
                        select count(*) from activity where kind = 'TEACHER_TRAINING' and district_code like ?1
                        and held_on between ?2 and ?3""")
                .setParameter(1, city.substring(0, 4) + "%").setParameter(2, LocalDate.of(year, 1, 1))
                .setParameter(3, LocalDate.of(year, 12, 31)).getSingleResult();
        long count = ((Number) n).longValue();
        Compliance.Status status = Compliance.status(count, Compliance.TRAININGS_PER_YEAR, LocalDate.of(year, 12, 31), today);
        TableBuilder t = new TableBuilder("teacher-trainings", year + "年全市教师培训", "City teacher trainings " + year, "城市")
                .column(Table.Column.figure("held", "已举办", "Held"))
                .column(Table.Column.figure("required", "要求", "Required"))
                .column(Table.Column.text("status", "状态", "Status"));
        t.only(areas.districtName(city), Table.Cell.count(count), Table.Cell.count(Compliance.TRAININGS_PER_YEAR), Table.Cell.text(status.zh));
        return t.build();
    }
}
