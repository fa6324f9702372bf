package cn.xinqiao.reporting.outreach;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.reporting.directory.Area;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hospitals' outreach in a year: publications per quarter against "at least one a quarter" (a quarter is due on its
 * last day), school visits, and how many quarters each hospital met — the hospitals of a city or county, laggards first.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class OutreachReports {

    /** Publications a hospital owes each quarter. */
    public static final int PER_QUARTER = 1;

    @Inject
    EntityManager em;

    public Report report(Area area, int year, LocalDate today) {
        if (area.isSchool()) {
            throw Problem.badRequest("bad-level", "outreach is reported for the hospitals of a city or county: level must be city or county");
        }
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("""
                        select h.hospital_id, h.name,
                               count(o.id) filter (where o.kind = 'PUBLICATION' and extract(quarter from o.published_on) = 1) q1,
                               count(o.id) filter (where o.kind = 'PUBLICATION' and extract(quarter from o.published_on) = 2) q2,
                               count(o.id) filter (where o.kind = 'PUBLICATION' and extract(quarter from o.published_on) = 3) q3,
                               count(o.id) filter (where o.kind = 'PUBLICATION' and extract(quarter from o.published_on) = 4) q4,
                               count(o.id) filter (where o.kind = 'SCHOOL_VISIT') visits
                        from hospital_dim h left join outreach_item o on o.hospital_id = h.hospital_id and o.published_on between ?2 and ?3
                        where h.district_code like ?1 group by h.hospital_id, h.name order by h.hospital_id""", Tuple.class)
                .setParameter(1, area.districtPattern()).setParameter(2, LocalDate.of(year, 1, 1)).setParameter(3, LocalDate.of(year, 12, 31))
                .getResultList();
        record Line(String id, String name, long[] quarters, long visits, int met, int overdue) {
        }
        List<Line> lines = new ArrayList<>();
        for (Tuple r : rows) {
            long[] q = {n(r, "q1"), n(r, "q2"), n(r, "q3"), n(r, "q4")};
            int met = 0;
            int overdue = 0;
            for (int i = 0; i < 4; i++) {
                switch (Compliance.status(q[i], PER_QUARTER, LocalDate.of(year, 3 * i + 3, 1).plusMonths(1).minusDays(1), today)) {
                    case MET -> met++;
                    case OVERDUE -> overdue++;
                    default -> { }
                }
            }
            lines.add(new Line((String) r.get("hospital_id"), (String) r.get("name"), q, n(r, "visits"), met, overdue));
        }
        lines.sort(java.util.Comparator.comparingInt(Line::overdue).reversed().thenComparing(Line::id));
        TableBuilder t = new TableBuilder("hospitals", year + "年医疗机构心理健康知识宣传（每季度至少 1 次）",
                "Hospitals' publications " + year + " (at least one a quarter)", "医疗机构");
        for (int i = 1; i <= 4; i++) {
            t.column(Table.Column.figure("q" + i, "第" + "一二三四".charAt(i - 1) + "季度", "Q" + i));
        }
        t.column(Table.Column.figure("visits", "专家进校园", "School visits"))
                .column(Table.Column.figure("met", "达标季度", "Quarters met"))
                .column(Table.Column.figure("overdue", "逾期季度", "Quarters overdue"));
        for (Line l : lines) {
            t.row(l.id(), l.name(), Table.Cell.count(l.quarters()[0]), Table.Cell.count(l.quarters()[1]), Table.Cell.count(l.quarters()[2]),
                    Table.Cell.count(l.quarters()[3]), Table.Cell.count(l.visits()), Table.Cell.count(l.met()), Table.Cell.count(l.overdue()));
        }
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("year", Integer.toString(year));
        return new Report("outreach", "医疗机构心理健康宣传落实情况", area.level().id(), area.code(), area.name(), filters,
                OffsetDateTime.now(ZoneOffset.UTC), List.of(t.build()), List.of(
                        "要求：各级综合性医疗机构每季度至少在本单位网络宣传阵地发布 1 次中小学生心理健康知识宣传；季度最后一天未达标即为逾期 (at least one publication a quarter on the hospital's own channels; overdue after the quarter's last day)",
                        "按逾期季度由多到少排列 (hospitals with the most overdue quarters first)"));
    }

    private static long n(Tuple t, String column) {
        return ((Number) t.get(column)).longValue();
    }
}
