package cn.xinqiao.reporting.programme;

import cn.xinqiao.platform.db.SqlValues;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.reporting.directory.Area;
import cn.xinqiao.reporting.domain.Semester;
import cn.xinqiao.reporting.domain.Table;
import cn.xinqiao.reporting.report.Period;
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
 * The programme over time and across areas: trends (a metric semester by semester for one area) and rankings
 * (the counties of a city or the schools of a county on a metric, with the rule). Both are read through
 * {@link Indicators}, so they show what the owning reports show and a rebuild by replay reproduces them.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ProgrammeReports {

    /** How far back a trend looks: five school years. */
    static final int MAX_SEMESTERS = 10;

    @Inject
    Indicators indicators;

    @Inject
    EntityManager em;

    public Report trends(Area area, List<Metric> metrics, LocalDate today) {
        List<Window> semesters = semesters(area, today);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Table> tables = new ArrayList<>();
        for (Metric m : metrics) {
            List<Table.Row> rows = new ArrayList<>();
            Indicators.Slice shape = null;
            for (Window w : semesters) {
                Indicators.Slice s = indicators.slice(m, area, w, now);
                shape = s;
                rows.add(new Table.Row(w.id(), w.label(), s.area().cells()));
            }
            tables.add(new Table("trend-" + m.id, m.zh + " · 学期趋势", m.en + " by semester", "学期", shape.columns(), List.copyOf(rows),
                    null, List.of(), null, shape.areaSmall(), shape.areaSmall(), null));
        }
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("metrics", String.join(",", metrics.stream().map(m -> m.id).toList()));
        filters.put("from", semesters.get(0).id());
        filters.put("to", semesters.get(semesters.size() - 1).id());
        return new Report("trends", "心理健康工作学期趋势", area.level().id(), area.code(), area.name(), filters,
                OffsetDateTime.now(ZoneOffset.UTC), tables, List.of(
                        "每学期一行，取自各专项报表的合计行：筛查按该学期开始的筛查活动（多次活动相加），转介、回访、热线按该学期的日期，活动按学期达标 (one line per semester from each report's totals: screening by the campaigns that opened in it, added up; referrals, follow-ups and calls by their dates; activities by the semester's compliance)",
                        "隐去的格子（<5、*）照原报表显示；多次活动相加时任一被隐去则合计也隐去 (hidden cells stay hidden; a sum over campaigns is hidden when any part was)",
                        "最多显示最近 " + MAX_SEMESTERS + " 个学期 (at most the last " + MAX_SEMESTERS + " semesters)"));
    }

    public Report rankings(Area area, List<Metric> metrics, Window window) {
        if (area.isSchool()) {
            throw Problem.badRequest("bad-level", "rankings rank the counties of a city or the schools of a county: level must be city or county");
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Table> tables = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Metric m : metrics) {
            Indicators.Slice s = indicators.slice(m, area, window, now);
            tables.add(ranked(s));
            notes.add(m.zh + "：" + m.rule());
        }
        notes.add("数值被隐去（<5、*）或无数据的不参与排名，列在最后；并列者名次相同 (hidden or empty values are not ranked and come last; ties share a rank)");
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("period", window.id());
        filters.put("periodLabel", window.label());
        filters.put("from", window.period().from().toString());
        filters.put("to", window.period().to().toString());
        return new Report("rankings", (area.level() == Area.Level.CITY ? "区县" : "学校") + "排名 · " + window.label(),
                area.level().id(), area.code(), area.name(), filters, OffsetDateTime.now(ZoneOffset.UTC), tables, List.copyOf(notes));
    }

    /** The children ordered by the metric's rule, laggards first, with their rank; unranked ones last. */
    public static Table ranked(Indicators.Slice s) {
        Metric m = s.metric();
        Comparator<Double> order = m.behindWhenLow ? Comparator.naturalOrder() : Comparator.reverseOrder();
        List<Table.Row> ranked = s.children().stream().filter(r -> s.key(r) != null)
                .sorted(Comparator.comparing((Table.Row r) -> s.key(r), order).thenComparing(Table.Row::code)).toList();
        List<Table.Row> rows = new ArrayList<>();
        int rank = 0;
        Double previous = null;
        for (int i = 0; i < ranked.size(); i++) {
            Table.Row r = ranked.get(i);
            Double key = s.key(r);
            if (previous == null || Double.compare(key, previous) != 0) {
                rank = i + 1;
            }
            previous = key;
            rows.add(withRank(r, Table.Cell.count(rank)));
        }
        s.children().stream().filter(r -> s.key(r) == null).forEach(r -> rows.add(withRank(r, Table.Cell.text("—"))));
        List<Table.Column> columns = new ArrayList<>();
        columns.add(Table.Column.figure("rank", "名次", "Rank"));
        for (Table.Column c : s.columns()) {
            columns.add(new Table.Column(c.id(), c.label(), c.labelEn(), c.kind(), c.basis() == null ? null : c.basis() + 1,
                    c.inputs().stream().map(i -> i + 1).toList()));
        }
        return new Table("ranking-" + m.id, s.childHeader() + "排名 · " + m.zh + "（" + m.ruleZh + "）",
                "Ranking: " + m.en + " (" + m.ruleEn + ")", s.childHeader(), List.copyOf(columns), List.copyOf(rows),
                withRank(s.area(), Table.Cell.empty()), List.of(), null, s.childrenSmall(), s.areaSmall(), s.childLevel());
    }

    private static Table.Row withRank(Table.Row row, Table.Cell rank) {
        List<Table.Cell> cells = new ArrayList<>();
        cells.add(rank);
        cells.addAll(row.cells());
        return new Table.Row(row.code(), row.name(), List.copyOf(cells));
    }

    /** The semesters from the first with any data under the area to the current one, at most {@link #MAX_SEMESTERS}. */
    List<Window> semesters(Area area, LocalDate today) {
        String pattern = area.districtPattern();
        Object first = em.createNativeQuery("""
                        select least(
                          (select min((c.opens_at at time zone 'Asia/Shanghai')::date) from campaign_dim c join campaign_school s
                             on s.campaign_id = c.campaign_id where s.district_code like ?1),
                          (select min((requested_at at time zone 'Asia/Shanghai')::date) from referral_fact where district_code like ?1),
                          (select min((started_at at time zone 'Asia/Shanghai')::date) from hotline_call where district_code like ?1),
                          (select min(held_on) from activity where district_code like ?1))""")
                .setParameter(1, pattern).getSingleResult();
        Semester current = Semester.containing(today);
        Semester from = first == null ? current
                : Semester.containing(SqlValues.date(first));
        List<Window> out = new ArrayList<>();
        for (Semester s = current; out.size() < MAX_SEMESTERS; s = previous(s)) {
            out.add(0, Window.of(s));
            if (s.equals(from) || s.first().isBefore(from.first())) {
                break;
            }
        }
        return out;
    }

    static Semester previous(Semester s) {
        return s.autumn() ? new Semester(s.year(), false) : new Semester(s.year() - 1, true);
    }

    /** Schools with referrals escalated in the window (a hospital did not accept in time, or none was partnered): counts only. */
    public List<Object[]> escalatedReferralsBySchool(Area area, Period period) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select f.district_code, f.school_id, count(*) from referral_fact f
                        where f.district_code like ?1 and f.escalations > 0 and f.requested_at >= ?2 and f.requested_at < ?3
                        group by 1, 2 order by 3 desc, 2""")
                .setParameter(1, area.districtPattern()).setParameter(2, period.start()).setParameter(3, period.end()).getResultList();
        return rows;
    }
}
