package cn.xinqiao.reporting.supervision;

import cn.xinqiao.reporting.directory.Area;
import cn.xinqiao.reporting.directory.Areas;
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

/** Supervision in a year by county or school: inspections, items raised, waiting for the school, to review, closed, overdue now. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class SupervisionReports {

    @Inject
    EntityManager em;

    @Inject
    Areas areas;

    public Report report(Area area, int year, LocalDate today) {
        String group = area.level() == Area.Level.CITY ? "i.district_code" : "i.school_id";
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("""
                        select %s as code, count(distinct i.id) inspections, count(r.id) items,
                               count(r.id) filter (where r.status = 'OPEN') open, count(r.id) filter (where r.status = 'ANSWERED') answered,
                               count(r.id) filter (where r.status = 'CLOSED') closed,
                               count(r.id) filter (where r.status = 'OPEN' and r.due_on < ?4) overdue
                        from inspection i left join rectification_item r on r.inspection_id = i.id
                        where %s and i.inspected_on between ?2 and ?3 group by 1 order by 7 desc, 1""".formatted(group,
                        area.isSchool() ? "i.school_id = ?1" : "i.district_code like ?1"), Tuple.class)
                .setParameter(1, area.isSchool() ? area.code() : area.districtPattern()).setParameter(2, LocalDate.of(year, 1, 1))
                .setParameter(3, LocalDate.of(year, 12, 31)).setParameter(4, today).getResultList();
        TableBuilder t = new TableBuilder("inspections", year + "年督导检查与整改", "Inspections and rectification " + year,
                area.level() == Area.Level.CITY ? "区县" : "学校")
                .column(Table.Column.figure("inspections", "督导次数", "Inspections"))
                .column(Table.Column.figure("items", "整改事项", "Items raised"))
                .column(Table.Column.figure("open", "待学校整改", "Waiting for the school"))
                .column(Table.Column.figure("answered", "待复核", "To review"))
                .column(Table.Column.figure("closed", "已销号", "Closed"))
                .column(Table.Column.figure("overdue", "逾期未整改", "Overdue"))
                .drill(area.level() == Area.Level.CITY ? "county" : null);
        for (Tuple r : rows) {
            String code = (String) r.get("code");
            t.row(code, area.level() == Area.Level.CITY ? areas.districtName(code) : areas.schoolName(code),
                    count(r, "inspections"), count(r, "items"), count(r, "open"), count(r, "answered"), count(r, "closed"), count(r, "overdue"));
        }
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("year", Integer.toString(year));
        return new Report("supervision", "督导检查与整改落实情况", area.level().id(), area.code(), area.name(), filters,
                OffsetDateTime.now(ZoneOffset.UTC), List.of(t.build()), List.of(
                        "按督导日期统计当年的督导与其整改事项；逾期：截止日已过、学校尚未答复 (inspections of the year and their items; overdue: past the deadline without the school's answer)",
                        "逾期多者在前 (most overdue first)"));
    }

    private static Table.Cell count(Tuple t, String column) {
        return Table.Cell.count(((Number) t.get(column)).longValue());
    }
}
