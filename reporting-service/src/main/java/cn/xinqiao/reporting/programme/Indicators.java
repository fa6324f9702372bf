package cn.xinqiao.reporting.programme;

import cn.xinqiao.reporting.activity.ActivityReports;
import cn.xinqiao.reporting.careloop.CareLoopReports;
import cn.xinqiao.reporting.directory.Area;
import cn.xinqiao.reporting.directory.Areas;
import cn.xinqiao.reporting.domain.Risk;
import cn.xinqiao.reporting.domain.Table;
import cn.xinqiao.reporting.hotline.HotlineReports;
import cn.xinqiao.reporting.referral.ReferralReports;
import cn.xinqiao.reporting.report.Period;
import cn.xinqiao.reporting.report.Report;
import cn.xinqiao.reporting.screening.ScreeningFigures;
import cn.xinqiao.reporting.screening.ScreeningReports;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A metric's figures for an area in a window, lifted from the report that owns them: the area's own line (the
 * report's totals) and a line per child (county, school) where that report has them. Cells come as the owning
 * report shows them, suppression included, so a trend or a ranking never shows what the report hides. A semester
 * with several campaigns adds them up: a count hidden in any of them stays hidden, and so does a rate made from it.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class Indicators {

    static final List<String> COVERAGE = List.of("enrolled", "notConsenting", "screened", "coverage");
    static final List<String> RISK = Stream.concat(Risk.ALL.stream().map(Risk::name), Stream.of("total", "high")).toList();

    @Inject
    ScreeningReports screening;

    @Inject
    ReferralReports referrals;

    @Inject
    CareLoopReports careLoop;

    @Inject
    HotlineReports hotline;

    @Inject
    ActivityReports activities;

    @Inject
    Areas areas;

    /**
     * @param childrenSmall the children are schools: their counts 1–4 are hidden
     * @param childLevel    the level a child's code opens, or null where the area has no children
     */
    public record Slice(Metric metric, List<Table.Column> columns, Table.Row area, List<Table.Row> children, String childHeader,
                        String childLevel, boolean childrenSmall, boolean areaSmall) {

        public int index(String column) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).id().equals(column)) {
                    return i;
                }
            }
            throw new IllegalArgumentException("no column " + column);
        }

        /** The ranking column's value in a row, or null where it is hidden or empty. */
        public Double key(Table.Row row) {
            Table.Cell c = row.cells().get(index(metric.key));
            return c.hidden() ? null : c.value();
        }
    }

    public Slice slice(Metric metric, Area area, Window window, OffsetDateTime now) {
        Period period = window.period();
        return switch (metric) {
            case COVERAGE -> screening(metric, area, window, "coverage", COVERAGE);
            case RISK -> screening(metric, area, window, "risk", RISK);
            case REFERRAL_TIMELINESS -> pick(metric, area, table(referrals.report(area, period), "by-area"),
                    List.of("requested", "accepted", "acceptP50", "acceptP90", "visitP50"), !area.isSchool());
            case FOLLOW_UP -> pick(metric, area, table(careLoop.report(area, period, now), "follow-ups"),
                    List.of("due", "onTime", "onTimeRate"), !area.isSchool());
            case HOTLINE -> calls(area, period);
            case ACTIVITIES -> activities(area, window);
        };
    }

    private Slice screening(Metric metric, Area area, Window window, String tableId, List<String> ids) {
        LocalDate first = window.semester().first();
        LocalDate last = window.period().to();
        List<Table> sources = new ArrayList<>();
        for (ScreeningFigures.CampaignInfo c : screening.campaigns(area)) {
            LocalDate opens = c.opensAt().atZoneSameInstant(Period.CHINA).toLocalDate();
            if (!opens.isBefore(first) && !opens.isAfter(last)) {
                sources.add(table(screening.report(area, c.id(), false), tableId));
            }
        }
        if (sources.isEmpty()) {
            List<Table.Column> columns = metric == Metric.COVERAGE ? coverageColumns() : riskColumns();
            Table.Row empty = new Table.Row(area.code(), area.name(), columns.stream().map(c -> Table.Cell.empty()).toList());
            return new Slice(metric, columns, empty, List.of(), header(area), area.level().child, area.level() != Area.Level.CITY, area.isSchool());
        }
        List<Slice> each = sources.stream().map(t -> pick(metric, area, t, ids, !area.isSchool())).toList();
        if (each.size() == 1) {
            return each.get(0);
        }
        Map<String, List<Table.Row>> byChild = new LinkedHashMap<>();
        each.forEach(s -> s.children().forEach(r -> byChild.computeIfAbsent(r.code(), k -> new ArrayList<>()).add(r)));
        Slice one = each.get(0);
        List<Table.Row> children = byChild.values().stream().map(rows -> add(metric, one.columns(), rows)).toList();
        return new Slice(metric, one.columns(), add(metric, one.columns(), each.stream().map(Slice::area).toList()), children,
                one.childHeader(), one.childLevel(), one.childrenSmall(), one.areaSmall());
    }

    /** Rows of the same area from several campaigns, added up; hidden stays hidden, rates are made again from the sums. */
    private static Table.Row add(Metric metric, List<Table.Column> columns, List<Table.Row> rows) {
        Table.Row first = rows.get(0);
        if (rows.size() == 1) {
            return first;
        }
        double[] sum = new double[columns.size()];
        boolean[] hidden = new boolean[columns.size()];
        List<Table.Cell> cells = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            for (Table.Row r : rows) {
                Table.Cell cell = r.cells().get(c);
                hidden[c] |= cell.hidden();
                sum[c] += cell.value() == null ? 0 : cell.value();
            }
        }
        for (int c = 0; c < columns.size(); c++) {
            Table.Column col = columns.get(c);
            if (col.kind() == Table.Kind.PERCENT) {
                final int at = c;
                boolean inputHidden = col.inputs().stream().anyMatch(i -> hidden[i]);
                Double rate = metric == Metric.COVERAGE ? ratio(sum[2], sum[0] - sum[1]) : ratio(sum[3] + sum[4], sum[5]);
                cells.add(inputHidden ? new Table.Cell(null, "—", "derived") : Table.Cell.percent(rate));
                hidden[at] = inputHidden;
            } else {
                cells.add(hidden[c] ? new Table.Cell(null, cn.xinqiao.reporting.domain.Suppression.COMPLEMENT, "secondary")
                        : Table.Cell.count(Math.round(sum[c])));
            }
        }
        return new Table.Row(first.code(), first.name(), List.copyOf(cells));
    }

    private static Double ratio(double part, double whole) {
        return whole <= 0 ? null : 100.0 * part / whole;
    }

    /** The named columns of a report table: its totals as the area's line, its rows as the children's. */
    private Slice pick(Metric metric, Area area, Table source, List<String> ids, boolean withChildren) {
        int[] at = ids.stream().mapToInt(id -> column(source, id)).toArray();
        List<Table.Column> columns = new ArrayList<>();
        for (int i : at) {
            Table.Column c = source.columns().get(i);
            columns.add(new Table.Column(c.id(), c.label(), c.labelEn(), c.kind(), remap(c.basis(), at),
                    c.inputs().stream().map(x -> remap(x, at)).filter(x -> x != null).toList()));
        }
        Table.Row areaRow = project(source.totals(), at, area.code(), area.name());
        List<Table.Row> children = withChildren ? source.rows().stream().filter(real())
                .map(r -> project(r, at, r.code(), r.name())).toList() : List.of();
        return new Slice(metric, List.copyOf(columns), areaRow, children, source.rowHeader(), withChildren ? area.level().child : null,
                source.rowsAreSmallAreas(), source.totalsAreSmallArea());
    }

    private static Predicate<Table.Row> real() {
        return r -> r.code() != null && !r.code().equals("-");
    }

    private Slice calls(Area area, Period period) {
        Report report = hotline.report(area, period);
        Table summary = table(report, "summary");
        List<Table.Column> columns = List.of(Table.Column.count("calls", "来电总数", "Calls"));
        Table.Row areaRow = project(summary.totals(), new int[]{column(summary, "calls")}, area.code(), area.name());
        List<Table.Row> children = List.of();
        Table byArea = report.tables().stream().filter(t -> t.id().equals("by-area")).findFirst().orElse(null);
        if (byArea != null) {
            int[] at = {column(byArea, "total")};
            children = byArea.rows().stream().filter(real()).map(r -> project(r, at, r.code(), r.name())).toList();
        }
        return new Slice(Metric.HOTLINE, columns, areaRow, children, header(area), byArea == null ? null : area.level().child,
                true, true);
    }

    private Slice activities(Area area, Window window) {
        LocalDate to = window.period().to();
        List<ActivityReports.SchoolTally> schools = activities.tallies(area, window.semester().first(), to);
        Map<String, long[]> byChild = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (ActivityReports.SchoolTally s : schools) {
            String code = area.level() == Area.Level.CITY ? s.district() : s.schoolId();
            names.putIfAbsent(code, area.level() == Area.Level.CITY ? areas.districtName(code) : s.name());
            long[] v = byChild.computeIfAbsent(code, k -> new long[2]);
            v[0]++;
            v[1] += s.compliant() ? 1 : 0;
        }
        List<Table.Row> children = area.isSchool() ? List.of() : byChild.entrySet().stream()
                .map(e -> complianceRow(e.getKey(), names.get(e.getKey()), e.getValue()[0], e.getValue()[1])).toList();
        long all = schools.size();
        long compliant = schools.stream().filter(ActivityReports.SchoolTally::compliant).count();
        return new Slice(Metric.ACTIVITIES, List.of(Table.Column.figure("schools", "学校数", "Schools"),
                Table.Column.figure("compliant", "达标学校", "Compliant schools"),
                Table.Column.percentOf("rate", "达标率", "Compliance rate", 0, List.of(1))),
                complianceRow(area.code(), area.name(), all, compliant), children, header(area),
                area.isSchool() ? null : area.level().child, false, false);
    }

    private static Table.Row complianceRow(String code, String name, long schools, long compliant) {
        return new Table.Row(code, name, List.of(Table.Cell.count(schools), Table.Cell.count(compliant),
                Table.Cell.percent(ratio(compliant, schools))));
    }

    private static String header(Area area) {
        return switch (area.level()) {
            case CITY -> "区县";
            case COUNTY -> "学校";
            case SCHOOL -> "年级";
        };
    }

    private static List<Table.Column> coverageColumns() {
        return List.of(Table.Column.figure("enrolled", "在册学生", "Enrolled"),
                Table.Column.count("notConsenting", "未同意", "Guardian did not consent"),
                Table.Column.count("screened", "已筛查", "Screened"),
                Table.Column.percentOf("coverage", "覆盖率", "Coverage", 2, List.of(1)));
    }

    private static List<Table.Column> riskColumns() {
        List<Table.Column> columns = new ArrayList<>();
        Risk.ALL.forEach(r -> columns.add(Table.Column.count(r.name(), r.zh, r.en)));
        columns.add(Table.Column.count("total", "合计", "Total"));
        columns.add(Table.Column.percentOf("high", "高风险及以上占比", "High or critical", Risk.ALL.size(),
                List.of(Risk.HIGH.rank(), Risk.CRITICAL.rank())));
        return List.copyOf(columns);
    }

    private static Integer remap(Integer sourceIndex, int[] at) {
        if (sourceIndex == null) {
            return null;
        }
        for (int i = 0; i < at.length; i++) {
            if (at[i] == sourceIndex) {
                return i;
            }
        }
        return null;
    }

    private static Table.Row project(Table.Row row, int[] at, String code, String name) {
        List<Table.Cell> cells = new ArrayList<>();
        for (int i : at) {
            cells.add(row.cells().get(i));
        }
        return new Table.Row(code, name, List.copyOf(cells));
    }

    static Table table(Report report, String id) {
        return report.tables().stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("report " + report.kind() + " has no table " + id));
    }

    private static int column(Table table, String id) {
        for (int i = 0; i < table.columns().size(); i++) {
            if (table.columns().get(i).id().equals(id)) {
                return i;
            }
        }
        throw new IllegalStateException("table " + table.id() + " has no column " + id);
    }
}
