package cn.xinqiao.reporting.referral;

import cn.xinqiao.reporting.directory.Area;
import cn.xinqiao.reporting.directory.Areas;
import cn.xinqiao.reporting.domain.Table;
import cn.xinqiao.reporting.domain.TableBuilder;
import cn.xinqiao.reporting.report.Period;
import cn.xinqiao.reporting.report.Report;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Green-channel referrals requested in a period under an area: outcomes, escalations and timeliness
 * (request → accepted, request → first visit; median and 90th percentile in hours) by the area's
 * children, by hospital and by risk level.
 */
@ApplicationScoped
public class ReferralReports {

    @Inject
    EntityManager em;

    @Inject
    Areas areas;

    private static final String MEASURES = """
            count(*) requested,
            count(*) filter (where accepted_at is not null) accepted,
            count(*) filter (where first_visit_at is not null) seen,
            count(*) filter (where declines > 0) declined,
            count(*) filter (where no_shows > 0) no_show,
            count(*) filter (where status in ('requested', 'accepted', 'in-progress')) open,
            count(*) filter (where escalations > 0) escalated,
            percentile_cont(0.5) within group (order by extract(epoch from accepted_at - requested_at) / 3600)
                filter (where accepted_at is not null) accept_p50,
            percentile_cont(0.9) within group (order by extract(epoch from accepted_at - requested_at) / 3600)
                filter (where accepted_at is not null) accept_p90,
            percentile_cont(0.5) within group (order by extract(epoch from first_visit_at - requested_at) / 3600)
                filter (where first_visit_at is not null) visit_p50,
            percentile_cont(0.9) within group (order by extract(epoch from first_visit_at - requested_at) / 3600)
                filter (where first_visit_at is not null) visit_p90""";

    @Transactional(Transactional.TxType.SUPPORTS)
    public Report report(Area area, Period period) {
        String child = switch (area.level()) {
            case CITY -> "district_code";
            case COUNTY -> "school_id";
            case SCHOOL -> "risk_level";
        };
        List<Table> tables = new ArrayList<>();
        List<Tuple> all = query(area, period, "'all'");
        Tuple total = all.isEmpty() ? null : all.get(0);
        boolean smallRows = area.level() != Area.Level.CITY;
        tables.add(table("by-area", area.isSchool() ? "本校转介（按风险等级）" : "转介与时效（按" + (child.equals("district_code") ? "区县" : "学校") + "）",
                "Referrals and timeliness by area", area.isSchool() ? "风险等级" : child.equals("district_code") ? "区县" : "学校",
                query(area, period, child), total, smallRows, area.isSchool(), area.level().child, code -> label(child, code)));
        tables.add(table("by-hospital", "转介与时效（按医院）", "Referrals and timeliness by hospital", "医院",
                query(area, period, "coalesce(accepted_hospital_id, hospital_id, '-')"), total, area.isSchool(), area.isSchool(), null,
                code -> code.equals("-") ? "未分配 / unrouted" : areas.hospitalName(code)));
        if (!area.isSchool()) {
            tables.add(table("by-risk", "转介与时效（按风险等级）", "Referrals and timeliness by risk level", "风险等级",
                    query(area, period, "risk_level"), total, false, false, null, code -> label("risk_level", code)));
        }
        tables.add(escalations(area, period, child, smallRows));
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("from", period.from().toString());
        filters.put("to", period.to().toString());
        return new Report("referrals", "绿色通道转介报告", area.level().id(), area.code(), area.name(), filters,
                OffsetDateTime.now(ZoneOffset.UTC), tables, List.of(
                        "按转介申请时间统计；时效单位为小时：申请→医院接收、申请→首次就诊（中位数 / 第90百分位）(hours from request to acceptance and to first visit: median / 90th percentile)",
                        "按医院统计时以接收医院为准，未接收的以当前医院计 (a referral counts for the hospital that accepted it, else the one it is with)",
                        "学校及以下层级 1–4 的计数显示为“<5”，不足5例不计算时效 (counts 1–4 at school level are shown as <5; no timeliness from fewer than 5)"));
    }

    private String label(String child, String code) {
        return switch (child) {
            case "district_code" -> areas.districtName(code);
            case "school_id" -> areas.schoolName(code);
            case "risk_level" -> switch (code) {
                case "CRITICAL" -> "危急";
                case "HIGH" -> "高";
                case "MODERATE" -> "中";
                default -> code;
            };
            default -> code;
        };
    }

    private List<Tuple> query(Area area, Period period, String groupExpr) {
        String filter = area.isSchool() ? "school_id = ?1" : "district_code like ?1";
        return em.createNativeQuery("select " + groupExpr + " as code, " + MEASURES + " from referral_fact where " + filter
                        + " and requested_at >= ?2 and requested_at < ?3 group by 1 order by 1", Tuple.class)
                .setParameter(1, area.isSchool() ? area.code() : area.districtPattern())
                .setParameter(2, period.start()).setParameter(3, period.end()).getResultList();
    }

    private Table table(String id, String title, String titleEn, String header, List<Tuple> rows, Tuple total, boolean smallRows,
                        boolean smallTotals, String drill, java.util.function.Function<String, String> names) {
        TableBuilder t = new TableBuilder(id, title, titleEn, header)
                .column(Table.Column.count("requested", "转介申请", "Requested"))
                .column(Table.Column.count("accepted", "医院已接收", "Accepted"))
                .column(Table.Column.count("seen", "已首诊", "Seen"))
                .column(Table.Column.count("declined", "曾被拒收", "Declined"))
                .column(Table.Column.count("noShow", "曾爽约", "No-show"))
                .column(Table.Column.count("open", "进行中", "Open"))
                .column(Table.Column.count("escalated", "曾升级", "Escalated"))
                .column(Table.Column.hours("acceptP50", "接收时效中位数(小时)", "Accept p50 (h)", 1))
                .column(Table.Column.hours("acceptP90", "接收时效P90(小时)", "Accept p90 (h)", 1))
                .column(Table.Column.hours("visitP50", "首诊时效中位数(小时)", "First visit p50 (h)", 2))
                .column(Table.Column.hours("visitP90", "首诊时效P90(小时)", "First visit p90 (h)", 2))
                .small(smallRows, smallTotals).drill(drill);
        for (Tuple r : rows) {
            String code = (String) r.get("code");
            t.row(code, names.apply(code), cells(r));
        }
        if (total != null) {
            t.totals(cells(total));
        }
        return t.build();
    }

    private static Table.Cell[] cells(Tuple r) {
        return new Table.Cell[]{
                count(r, "requested"), count(r, "accepted"), count(r, "seen"), count(r, "declined"), count(r, "no_show"),
                count(r, "open"), count(r, "escalated"), hours(r, "accept_p50"), hours(r, "accept_p90"),
                hours(r, "visit_p50"), hours(r, "visit_p90")};
    }

    private static Table.Cell count(Tuple r, String name) {
        return Table.Cell.count(((Number) r.get(name)).longValue());
    }

    private static Table.Cell hours(Tuple r, String name) {
        Object v = r.get(name);
        return Table.Cell.hours(v == null ? null : ((Number) v).doubleValue());
    }

    private Table escalations(Area area, Period period, String child, boolean smallRows) {
        String filter = area.isSchool() ? "f.school_id = ?1" : "f.district_code like ?1";
        String groupExpr = child.equals("risk_level") ? "f.risk_level" : "f." + child;
        List<Tuple> rows = em.createNativeQuery("""
                        select %s as code,
                               count(*) filter (where e.escalation = 'BACKUP_HOSPITAL') backup,
                               count(*) filter (where e.escalation = 'BUREAU_ALERT') alert,
                               count(*) filter (where e.escalation = 'NO_PARTNERSHIP') unrouted
                        from referral_event e join referral_fact f on f.referral_id = e.referral_id
                        where e.escalation is not null and %s and f.requested_at >= ?2 and f.requested_at < ?3
                        group by 1 order by 1""".formatted(groupExpr, filter), Tuple.class)
                .setParameter(1, area.isSchool() ? area.code() : area.districtPattern())
                .setParameter(2, period.start()).setParameter(3, period.end()).getResultList();
        TableBuilder t = new TableBuilder("escalations", "升级与督办", "Escalations", area.isSchool() ? "风险等级" : "区域")
                .column(Table.Column.count("BACKUP_HOSPITAL", "转备用医院", "To backup hospital"))
                .column(Table.Column.count("BUREAU_ALERT", "教育局督办", "Bureau alert"))
                .column(Table.Column.count("NO_PARTNERSHIP", "无合作医院", "No partner hospital"))
                .column(Table.Column.count("total", "合计", "Total"))
                .sums(List.of(0, 1, 2), 3).small(smallRows, area.isSchool()).drill(area.level().child);
        for (Tuple r : rows) {
            long b = ((Number) r.get("backup")).longValue();
            long a = ((Number) r.get("alert")).longValue();
            long u = ((Number) r.get("unrouted")).longValue();
            String code = (String) r.get("code");
            t.row(code, label(child, code), Table.Cell.count(b), Table.Cell.count(a), Table.Cell.count(u), Table.Cell.count(b + a + u));
        }
        return t.build();
    }
}
