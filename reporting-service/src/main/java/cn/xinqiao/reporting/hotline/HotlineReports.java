package cn.xinqiao.reporting.hotline;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.reporting.directory.Area;
import cn.xinqiao.reporting.directory.Areas;
import cn.xinqiao.reporting.domain.Risk;
import cn.xinqiao.reporting.domain.Table;
import cn.xinqiao.reporting.domain.TableBuilder;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * 24-hour hotline volume in a period under an area: by hour of day (China time), by day, by channel,
 * by caller type, by category, all against risk level. Calls whose caller gave no county count at
 * city level only ("地区不详"); a school-level report counts the calls that named the school.
 *
 * <p>Crisis calls are sensitive at every level: counts of 1–4 are hidden in county and city tables too, not only
 * at a school, and a period is at least {@link #MIN_DAYS} days (a one-day county table of one crisis call at
 * 23:00 points at one caller).
 */
@ApplicationScoped
public class HotlineReports {

    static final Map<String, String> CHANNELS = Map.of("PHONE", "电话", "WECHAT", "微信", "ONLINE_CHAT", "网络咨询");
    static final Map<String, String> CALLERS = Map.of("STUDENT", "学生", "PARENT", "家长", "TEACHER", "教师", "OTHER", "其他");

    @Inject
    EntityManager em;

    @Inject
    Areas areas;

    /** The shortest period a hotline report covers. */
    public static final int MIN_DAYS = 7;

    @Transactional(Transactional.TxType.SUPPORTS)
    public Report report(Area area, Period period) {
        if (period.from().plusDays(MIN_DAYS - 1).isAfter(period.to())) {
            throw Problem.badRequest("period-too-short", "a hotline report covers at least " + MIN_DAYS
                    + " days, so that no table singles out one call / 热线报告的统计期至少 " + MIN_DAYS + " 天");
        }
        boolean small = true; // every level: see the class comment
        List<Table> tables = new ArrayList<>();
        tables.add(riskTable("by-hour", "各时段来电（北京时间）", "Calls by hour of day (China time)", "时段",
                byRisk(area, period, "extract(hour from started_at at time zone 'Asia/Shanghai')::int::text"),
                IntStream.range(0, 24).mapToObj(String::valueOf).toList(), h -> String.format("%02d:00–%02d:59", Integer.parseInt(h), Integer.parseInt(h)),
                small, null));
        List<String> days = new ArrayList<>();
        for (LocalDate d = period.from(); !d.isAfter(period.to()) && days.size() < 400; d = d.plusDays(1)) {
            days.add(d.toString());
        }
        Map<String, long[]> byDay = byRisk(area, period, "(started_at at time zone 'Asia/Shanghai')::date::text");
        tables.add(riskTable("by-day", "每日来电", "Calls by day", "日期", byDay,
                days.stream().filter(byDay::containsKey).toList(), d -> d, small, null));
        tables.add(riskTable("by-channel", "来电渠道", "Calls by channel", "渠道", byRisk(area, period, "channel"),
                List.of("PHONE", "WECHAT", "ONLINE_CHAT"), CHANNELS::get, small, null));
        tables.add(riskTable("by-caller", "来电者类型", "Calls by caller type", "来电者", byRisk(area, period, "caller_type"),
                List.of("STUDENT", "PARENT", "TEACHER", "OTHER"), CALLERS::get, small, null));
        Map<String, long[]> byCategory = byRisk(area, period, "unnest(categories)");
        tables.add(riskTable("by-category", "来电问题类别（一通来电可有多个类别）", "Calls by category (a call may have several)", "类别",
                byCategory, List.copyOf(byCategory.keySet()), c -> c, small, null));
        if (!area.isSchool()) {
            Map<String, long[]> byArea = byRisk(area, period, area.level() == Area.Level.CITY ? "coalesce(district_code, '-')" : "coalesce(school_id, '-')");
            tables.add(riskTable("by-area", area.level() == Area.Level.CITY ? "来电者所在区县" : "来电学生所在学校",
                    "Calls by the caller's area", area.level() == Area.Level.CITY ? "区县" : "学校", byArea, List.copyOf(byArea.keySet()),
                    c -> c.equals("-") ? "地区不详" : area.level() == Area.Level.CITY ? areas.districtName(c) : areas.schoolName(c),
                    true, area.level().child));
        }
        tables.add(summary(area, period, small));
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("from", period.from().toString());
        filters.put("to", period.to().toString());
        return new Report("hotline", "24小时心理援助热线报告", area.level().id(), area.code(), area.name(), filters,
                OffsetDateTime.now(ZoneOffset.UTC), tables, List.of(
                        "按来电开始时间（北京时间）统计已结束的来电 (closed calls by start time, China time)",
                        "未提供所在区县的来电只计入市级 (calls without a county count at city level only)",
                        "各级报表中 1–4 的计数均显示为 <5，统计期至少 7 天 (counts of 1–4 show as <5 at every level; periods of 7 days or more)"));
    }

    private String filter(Area area) {
        return switch (area.level()) {
            case CITY -> "(district_code like ?1 or district_code is null)";
            case COUNTY -> "district_code = ?1";
            case SCHOOL -> "school_id = ?1";
        };
    }

    private Map<String, long[]> byRisk(Area area, Period period, String groupExpr) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select " + groupExpr + " as k, risk_level, count(*) from hotline_call where "
                        + filter(area) + " and started_at >= ?2 and started_at < ?3 group by 1, 2")
                .setParameter(1, area.isSchool() ? area.code() : area.level() == Area.Level.CITY ? area.districtPattern() : area.code())
                .setParameter(2, period.start()).setParameter(3, period.end()).getResultList();
        Map<String, long[]> out = new TreeMap<>();
        for (Object[] r : rows) {
            out.computeIfAbsent(String.valueOf(r[0]), k -> new long[Risk.ALL.size()])[Risk.valueOf((String) r[1]).rank()]
                    += ((Number) r[2]).longValue();
        }
        return out;
    }

    private Table riskTable(String id, String title, String titleEn, String header, Map<String, long[]> data, List<String> rows,
                            Function<String, String> names, boolean small, String drill) {
        TableBuilder t = new TableBuilder(id, title, titleEn, header).riskColumns().small(small, small).drill(drill);
        for (String key : rows) {
            t.row(key, names.apply(key), TableBuilder.riskCells(data.getOrDefault(key, new long[Risk.ALL.size()])).toArray(Table.Cell[]::new));
        }
        if (id.equals("by-category")) {
            // a call may carry several categories: the column totals are calls, not the sum of the rows
            t.totals(emptyCells(t.columnCount()));
        }
        return t.build();
    }

    private static Table.Cell[] emptyCells(int n) {
        Table.Cell[] cells = new Table.Cell[n];
        java.util.Arrays.fill(cells, Table.Cell.empty());
        return cells;
    }

    private Table summary(Area area, Period period, boolean small) {
        Object[] r = (Object[]) em.createNativeQuery("""
                        select count(*), count(*) filter (where repeat_caller), count(*) filter (where escalated),
                               count(*) filter (where risk_level in ('HIGH', 'CRITICAL')),
                               percentile_cont(0.5) within group (order by duration_seconds) / 60.0
                        from hotline_call where %s and started_at >= ?2 and started_at < ?3""".formatted(filter(area)))
                .setParameter(1, area.isSchool() ? area.code() : area.level() == Area.Level.CITY ? area.districtPattern() : area.code())
                .setParameter(2, period.start()).setParameter(3, period.end()).getSingleResult();
        TableBuilder t = new TableBuilder("summary", "来电概况", "Summary", "项目")
                .column(Table.Column.count("calls", "来电总数", "Calls"))
                .column(Table.Column.count("repeat", "重复来电", "Repeat callers"))
                .column(Table.Column.count("escalated", "紧急升级", "Escalated"))
                .column(Table.Column.count("high", "高风险及以上", "High or critical"))
                .column(Table.Column.hours("minutes", "通话时长中位数(分钟)", "Median duration (min)", 0))
                .small(small, small);
        t.only("本期全部来电", Table.Cell.count(((Number) r[0]).longValue()), Table.Cell.count(((Number) r[1]).longValue()),
                Table.Cell.count(((Number) r[2]).longValue()), Table.Cell.count(((Number) r[3]).longValue()),
                Table.Cell.hours(r[4] == null ? null : ((Number) r[4]).doubleValue()));
        return t.build();
    }
}
