package cn.xinqiao.reporting.careloop;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The care loop (闭环) under an area in a period: cases opened by source, procedure steps and guardian contact on time,
 * hospitals' return summaries, follow-ups on time and what they found. Rows are the area's children (a school's
 * report: its procedure steps by step, its follow-ups by who does them). All from events, at read time.
 */
@ApplicationScoped
public class CareLoopReports {

    /** The default procedure's steps by name (a deployment's own steps show by code). */
    static final Map<String, String> STEPS = Map.of("STAY_AND_INFORM_SAFETY_LEAD", "陪伴学生并报告安全负责人", "GUARDIAN_CONTACTED", "联系监护人",
            "REFERRAL_SENT", "转介合作医院", "SAFETY_PLAN", "制定安全计划", "FIRST_SESSION", "首次心理辅导", "COUNSELLING_SESSION", "心理辅导",
            "REVIEW", "复评");

    static final List<String> OUTCOMES = List.of("SEEN", "IMPROVED", "UNCHANGED", "WORSE", "RE_REFER", "MOVED_SCHOOL", "UNREACHABLE");

    @Inject
    EntityManager em;

    @Inject
    Areas areas;

    @Transactional(Transactional.TxType.SUPPORTS)
    public Report report(Area area, Period period, OffsetDateTime now) {
        String child = area.isSchool() ? null : area.level() == Area.Level.CITY ? "district_code" : "school_id";
        Function<String, String> names = code -> child == null ? code : child.equals("district_code") ? areas.districtName(code) : areas.schoolName(code);
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("from", period.from().toString());
        filters.put("to", period.to().toString());
        return new Report("care-loop", "闭环管理报告", area.level().id(), area.code(), area.name(), filters, OffsetDateTime.now(ZoneOffset.UTC),
                List.of(cases(area, period, child, names), procedure(area, period, now, child, names), returns(area, period, child, names),
                        followUps(area, period, now, child, names), callbacks(area, period, now, child, names)), List.of(
                        "个案按开案时间统计；流程步骤、回访按截止时间所在期间统计 (cases by the day they opened; steps and follow-ups by the period their deadline falls in)",
                        "已到期或已完成的才计入；按时：在截止时间前完成或记录了有据可查的例外；监护人联系按时仅计已联系 (counted once due or done; on time: done, or a documented exception, by the deadline; guardian contact on time counts only contacts made)",
                        "个案在步骤截止前已结案的，该步骤不计 (a step whose case closed before its deadline is not counted)",
                        "学校及以下层级 1–4 的计数显示为“<5” (counts 1–4 at school level are shown as <5)"));
    }

    private Table cases(Area area, Period period, String child, Function<String, String> names) {
        String group = child == null ? "risk_level" : child;
        List<Tuple> rows = rows("""
                select %s as code,
                       count(distinct case_id) filter (where source = 'SCREENING') screening,
                       count(distinct case_id) filter (where source in ('DAILY_WORK', 'TEACHER_REPORT', 'PARENT_REPORT', 'PEER_REPORT')) daily,
                       count(distinct case_id) filter (where source = 'HOTLINE') hotline,
                       count(distinct case_id) filter (where source = 'HOSPITAL_RETURN') returned,
                       count(distinct case_id) total
                from case_event where opened and %s and occurred_at >= ?2 and occurred_at < ?3 group by rollup (%1$s) order by 1""",
                group, area, period);
        TableBuilder t = new TableBuilder("cases-by-source", "新开个案（按来源）", "Cases opened by source",
                child == null ? "风险等级" : header(child))
                .column(Table.Column.count("screening", "筛查发现", "Screening"))
                .column(Table.Column.count("dailyWork", "日常工作发现", "Daily work"))
                .column(Table.Column.count("hotline", "热线", "Hotline"))
                .column(Table.Column.count("hospitalReturn", "医院出院返校", "Discharged by a hospital"))
                .column(Table.Column.count("total", "合计", "Total"))
                .sums(List.of(0, 1, 2, 3), 4).small(child == null || child.equals("school_id"), area.isSchool()).drill(child == null ? null : area.level().child);
        fill(t, rows, child == null ? CareLoopReports::riskName : names, "screening", "daily", "hotline", "returned", "total");
        return t.build();
    }

    private Table procedure(Area area, Period period, OffsetDateTime now, String child, Function<String, String> names) {
        String group = child == null ? "d.code" : "d." + child;
        List<Tuple> rows = em.createNativeQuery("""
                        with due as (
                            select case_id, code, min(school_id) school_id, min(district_code) district_code, min(due_at) due_at
                            from case_item where item = 'STEP' and done_at is null and %1$s and due_at >= ?2 and due_at < ?3
                            group by case_id, code),
                        done as (
                            select case_id, code, min(done_at) done_at, (array_agg(outcome order by done_at))[1] outcome
                            from case_item where item = 'STEP' and done_at is not null and %1$s group by case_id, code),
                        closed as (select case_id, min(occurred_at) closed_at from case_event where kind = 'CLOSED' and %1$s group by case_id),
                        counted as (
                            select d.*, x.done_at, x.outcome from due d left join done x using (case_id, code) left join closed c using (case_id)
                            where x.done_at is not null or (d.due_at < ?4 and (c.closed_at is null or c.closed_at > d.due_at)))
                        select %2$s as code, count(*) steps, count(*) filter (where d.done_at <= d.due_at) on_time,
                               count(*) filter (where d.code = 'GUARDIAN_CONTACTED') guardian,
                               count(*) filter (where d.code = 'GUARDIAN_CONTACTED' and d.outcome = 'DONE' and d.done_at <= d.due_at) guardian_on_time
                        from counted d group by rollup (%2$s) order by 1""".formatted(filter(area), group), Tuple.class)
                .setParameter(1, pattern(area)).setParameter(2, period.start()).setParameter(3, period.end()).setParameter(4, now)
                .getResultList();
        TableBuilder t = new TableBuilder("procedure", "处置流程时效", "Procedure steps on time", child == null ? "步骤" : header(child))
                .column(Table.Column.count("steps", "到期步骤", "Steps due"))
                .column(Table.Column.count("onTime", "按时完成", "On time"))
                .column(Table.Column.percentOf("onTimeRate", "按时率", "On time (%)", 0, List.of(1)))
                .column(Table.Column.count("guardian", "应联系监护人", "Guardian contacts due"))
                .column(Table.Column.count("guardianOnTime", "按时联系监护人", "Guardian contacted on time"))
                .column(Table.Column.percentOf("guardianRate", "监护人按时联系率", "Guardian on time (%)", 3, List.of(4)))
                .small(child == null || child.equals("school_id"), area.isSchool()).drill(child == null ? null : area.level().child);
        for (Tuple r : rows) {
            long steps = n(r, "steps"), onTime = n(r, "on_time"), guardian = n(r, "guardian"), guardianOnTime = n(r, "guardian_on_time");
            Table.Cell[] cells = {Table.Cell.count(steps), Table.Cell.count(onTime), percent(onTime, steps), Table.Cell.count(guardian),
                    Table.Cell.count(guardianOnTime), percent(guardianOnTime, guardian)};
            put(t, r, child == null ? code -> STEPS.getOrDefault(code, code) : names, cells);
        }
        return t.build();
    }

    private Table returns(Area area, Period period, String child, Function<String, String> names) {
        String group = child == null ? "risk_level" : child;
        List<Tuple> rows = rows("""
                select %s as code,
                       count(distinct referral_id) filter (where origin is null and status = 'completed') completed,
                       count(distinct referral_id) filter (where origin is null and status = 'completed' and returned) with_summary,
                       count(distinct referral_id) filter (where origin = 'HOSPITAL_RETURN') discharged
                from referral_event where %s and occurred_at >= ?2 and occurred_at < ?3 group by rollup (%1$s) order by 1""",
                group, area, period);
        TableBuilder t = new TableBuilder("returns", "医院回转（双向转诊）", "Returns from hospital", child == null ? "风险等级" : header(child))
                .column(Table.Column.count("completed", "完成就诊的转介", "Referrals completed"))
                .column(Table.Column.count("withSummary", "附回转摘要", "With a return summary"))
                .column(Table.Column.percentOf("summaryRate", "回转摘要率", "With summary (%)", 0, List.of(1)))
                .column(Table.Column.count("discharged", "非转介出院返校", "Discharged without a referral"))
                .small(child == null || child.equals("school_id"), area.isSchool()).drill(child == null ? null : area.level().child);
        for (Tuple r : rows) {
            long completed = n(r, "completed"), summary = n(r, "with_summary");
            Table.Cell[] cells = {Table.Cell.count(completed), Table.Cell.count(summary), percent(summary, completed), Table.Cell.count(n(r, "discharged"))};
            put(t, r, child == null ? CareLoopReports::riskName : names, cells);
        }
        return t.build();
    }

    private Table followUps(Area area, Period period, OffsetDateTime now, String child, Function<String, String> names) {
        String group = child == null ? "p.by_whom" : "p." + child;
        StringBuilder outcomes = new StringBuilder();
        for (String o : OUTCOMES) {
            outcomes.append(", count(*) filter (where d.outcome = '").append(o).append("') ").append(o.toLowerCase());
        }
        List<Tuple> rows = em.createNativeQuery("""
                        with planned as (
                            select code, min(school_id) school_id, min(district_code) district_code, min(by_whom) by_whom, min(due_at) due_at
                            from case_item where item = 'FOLLOW_UP' and done_at is null and %1$s and due_at >= ?2 and due_at < ?3
                            group by code),
                        done as (
                            select code, min(done_at) done_at, (array_agg(outcome order by done_at))[1] outcome
                            from case_item where item = 'FOLLOW_UP' and done_at is not null and %1$s group by code)
                        select %2$s as code, count(*) due, count(*) filter (where d.done_at <= p.due_at) on_time%3$s
                        from planned p left join done d using (code) where p.due_at < ?4 or d.done_at is not null
                        group by rollup (%2$s) order by 1""".formatted(filter(area), group, outcomes),
                        Tuple.class)
                .setParameter(1, pattern(area)).setParameter(2, period.start()).setParameter(3, period.end()).setParameter(4, now)
                .getResultList();
        TableBuilder t = new TableBuilder("follow-ups", "回访按时与结果", "Follow-ups on time and their outcomes", child == null ? "回访方" : header(child))
                .column(Table.Column.count("due", "到期回访", "Follow-ups due"))
                .column(Table.Column.count("onTime", "按时完成", "Done on time"))
                .column(Table.Column.percentOf("onTimeRate", "按时率", "On time (%)", 0, List.of(1)))
                .column(Table.Column.count("SEEN", "已见面", "Seen"))
                .column(Table.Column.count("IMPROVED", "好转", "Improved"))
                .column(Table.Column.count("UNCHANGED", "无变化", "Unchanged"))
                .column(Table.Column.count("WORSE", "加重", "Worse"))
                .column(Table.Column.count("RE_REFER", "再次转介", "Re-referred"))
                .column(Table.Column.count("MOVED_SCHOOL", "已转学", "Moved school"))
                .column(Table.Column.count("UNREACHABLE", "未能联系", "Could not reach"))
                .small(child == null || child.equals("school_id"), area.isSchool()).drill(child == null ? null : area.level().child);
        for (Tuple r : rows) {
            long due = n(r, "due"), onTime = n(r, "on_time");
            Table.Cell[] cells = new Table.Cell[3 + OUTCOMES.size()];
            cells[0] = Table.Cell.count(due);
            cells[1] = Table.Cell.count(onTime);
            cells[2] = percent(onTime, due);
            for (int i = 0; i < OUTCOMES.size(); i++) {
                cells[3 + i] = Table.Cell.count(n(r, OUTCOMES.get(i).toLowerCase()));
            }
            put(t, r, child == null ? code -> ("SCHOOL".equals(code) ? "学校回访" : "医院回访") : names, cells);
        }
        return t.build();
    }

    private Table callbacks(Area area, Period period, OffsetDateTime now, String child, Function<String, String> names) {
        boolean byCounty = "district_code".equals(child);
        String group = byCounty ? "coalesce(c.district_code, '-')" : "cast(null as text)";
        List<Tuple> rows = em.createNativeQuery("""
                        select %s as code, count(*) due,
                               count(*) filter (where b.done_at < ((c.callback_due_at at time zone 'Asia/Shanghai')::date + 1) at time zone 'Asia/Shanghai') on_time,
                               count(*) filter (where b.outcome = 'REACHED') reached
                        from hotline_call c left join hotline_callback b using (call_id)
                        where c.callback_due_at is not null and c.%s and c.callback_due_at >= ?2 and c.callback_due_at < ?3
                          and (c.callback_due_at < ?4 or b.done_at is not null)
                        %s order by 1""".formatted(group, filter(area), byCounty ? "group by rollup (" + group + ")" : ""), Tuple.class)
                .setParameter(1, pattern(area)).setParameter(2, period.start()).setParameter(3, period.end()).setParameter(4, now)
                .getResultList();
        TableBuilder t = new TableBuilder("hotline-callbacks", "热线回访按时", "Hotline callbacks on time", byCounty ? "区县" : "区域")
                .column(Table.Column.count("due", "到期回访", "Callbacks due"))
                .column(Table.Column.count("onTime", "当天完成", "Made on the day"))
                .column(Table.Column.percentOf("onTimeRate", "按时率", "On time (%)", 0, List.of(1)))
                .column(Table.Column.count("reached", "联系上", "Reached"))
                .small(area.isSchool(), area.isSchool()).drill(byCounty ? area.level().child : null);
        for (Tuple r : rows) {
            long due = n(r, "due"), onTime = n(r, "on_time");
            Table.Cell[] cells = {Table.Cell.count(due), Table.Cell.count(onTime), percent(onTime, due), Table.Cell.count(n(r, "reached"))};
            put(t, r, code -> "-".equals(code) ? "地区不详" : names.apply(code), cells);
        }
        return t.build();
    }

    private List<Tuple> rows(String sql, String group, Area area, Period period) {
        return em.createNativeQuery(sql.formatted(group, filter(area)), Tuple.class).setParameter(1, pattern(area))
                .setParameter(2, period.start()).setParameter(3, period.end()).getResultList();
    }

    private static void fill(TableBuilder t, List<Tuple> rows, Function<String, String> names, String... columns) {
        for (Tuple r : rows) {
            Table.Cell[] cells = new Table.Cell[columns.length];
            for (int i = 0; i < columns.length; i++) {
                cells[i] = Table.Cell.count(n(r, columns[i]));
            }
            put(t, r, names, cells);
        }
    }

    /** A row of the table, or its totals: the rollup row, whose code is null. */
    private static void put(TableBuilder t, Tuple r, Function<String, String> names, Table.Cell... cells) {
        String code = (String) r.get("code");
        if (code == null) {
            t.totals(cells);
        } else {
            t.row(code, names.apply(code), cells);
        }
    }

    private static String filter(Area area) {
        return area.isSchool() ? "school_id = ?1" : "district_code like ?1";
    }

    private static String pattern(Area area) {
        return area.isSchool() ? area.code() : area.districtPattern();
    }

    private static String header(String child) {
        return child.equals("district_code") ? "区县" : "学校";
    }

    private static String riskName(String code) {
        return switch (code) {
            case "CRITICAL" -> "危急";
            case "HIGH" -> "高";
            case "MODERATE" -> "中";
            case "LOW" -> "低";
            default -> code;
        };
    }

    private static long n(Tuple r, String column) {
        Object v = r.get(column);
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static Table.Cell percent(long part, long whole) {
        return whole == 0 ? Table.Cell.empty() : Table.Cell.percent(100.0 * part / whole);
    }
}
