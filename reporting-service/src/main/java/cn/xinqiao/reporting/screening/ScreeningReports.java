package cn.xinqiao.reporting.screening;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.reporting.directory.Area;
import cn.xinqiao.reporting.directory.Areas;
import cn.xinqiao.reporting.domain.Risk;
import cn.xinqiao.reporting.domain.Table;
import cn.xinqiao.reporting.domain.TableBuilder;
import cn.xinqiao.reporting.report.Report;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The screening report of one campaign under an area: coverage (screened students / enrolled in the
 * campaign's schools and grades), students by their campaign risk (the highest across instruments),
 * results by instrument band, online vs paper — by the area's children (city → counties → schools →
 * grades), by grade and by sex. Read only from the aggregates; cells of a school or finer suppressed.
 */
@ApplicationScoped
public class ScreeningReports {

    static final Map<String, String> BAND_NAMES = Map.ofEntries(
            Map.entry("minimal", "无/极轻"), Map.entry("mild", "轻度"), Map.entry("moderate", "中度"),
            Map.entry("moderately-severe", "中重度"), Map.entry("severe", "重度"), Map.entry("negative", "阴性"),
            Map.entry("positive", "阳性"), Map.entry("acute-positive", "急性阳性"));

    static final Map<String, List<String>> BANDS = Map.of(
            "PHQ-9", List.of("minimal", "mild", "moderate", "moderately-severe", "severe"),
            "PHQ-A", List.of("minimal", "mild", "moderate", "moderately-severe", "severe"),
            "GAD-7", List.of("minimal", "mild", "moderate", "severe"),
            "ASQ", List.of("negative", "positive", "acute-positive"),
            "PSC-17", List.of("minimal", "mild", "positive"));

    @Inject
    ScreeningFigures figures;

    @Inject
    Areas areas;

    /** Campaigns with at least one school under the area, newest first. */
    public List<ScreeningFigures.CampaignInfo> campaigns(Area area) {
        return figures.campaigns(area);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Report report(Area area, UUID campaignId, boolean detail) {
        ScreeningFigures.CampaignInfo campaign = figures.campaigns(area).stream().filter(c -> c.id().equals(campaignId)).findFirst()
                .orElseThrow(() -> Problem.notFound("no such campaign under this area"));
        List<ScreeningFigures.Child> children = figures.children(area, campaign);
        boolean oneSchool = area.isSchool() || children.size() < 2 && area.level() == Area.Level.COUNTY;
        String childHeader = switch (area.level()) {
            case CITY -> "区县";
            case COUNTY -> "学校";
            case SCHOOL -> "年级";
        };
        String childExpr = switch (area.level()) {
            case CITY -> "district_code";
            case COUNTY -> "school_id";
            case SCHOOL -> "grade::text";
        };
        List<Table> tables = new ArrayList<>();
        Map<String, long[]> enrolled = figures.enrolled(area, campaign, childExpr);
        Map<String, long[]> byRisk = figures.studentsByRisk(area, campaignId, childExpr);
        if (area.isSchool()) {
            // a junior school in an all-grades campaign: only the grades it has
            children = children.stream().filter(c -> enrolled.containsKey(c.code()) || byRisk.containsKey(c.code())).toList();
        }
        List<ScreeningFigures.Child> gradeRows = area.isSchool() ? children : ScreeningFigures.grades(campaign);
        // a row that holds one school's students is school-level data, whatever its label: a county with a
        // single school in a city report, a grade only one school teaches in a county report
        boolean childRowsSmall = area.level() != Area.Level.CITY || figures.fromOneSchool(area, campaignId, "district_code");
        boolean gradeRowsSmall = oneSchool || figures.fromOneSchool(area, campaignId, "grade");
        tables.add(coverage(area, children, enrolled, byRisk, childHeader, oneSchool, childRowsSmall));
        tables.add(riskTable("risk", "学生风险分布（按本次筛查最高风险）", "Students by campaign risk (highest across instruments)",
                childHeader, children, byRisk, childRowsSmall, oneSchool, area.level().child));
        Map<String, long[]> byGradeSex = figures.studentsByRisk(area, campaignId, "grade::text || '|' || sex");
        tables.add(riskTable("risk-by-grade", "各年级学生风险分布", "Students by grade and risk", "年级",
                gradeRows, ScreeningFigures.rollUp(byGradeSex, 0), gradeRowsSmall, oneSchool, null));
        tables.add(riskTable("risk-by-sex", "分性别学生风险分布", "Students by sex and risk", "性别",
                List.of(new ScreeningFigures.Child("FEMALE", "女"), new ScreeningFigures.Child("MALE", "男"), new ScreeningFigures.Child("UNKNOWN", "未填")),
                ScreeningFigures.rollUp(byGradeSex, 1), oneSchool, oneSchool, null));
        ScreeningFigures.Results results = figures.results(area, campaignId, childExpr);
        for (String instrument : campaign.instruments()) {
            tables.add(bands(area, instrument, results, children, childHeader, oneSchool, childRowsSmall));
        }
        tables.add(modes(area, results, children, childHeader, oneSchool, childRowsSmall));
        if (detail && area.level() == Area.Level.CITY) {
            // every school of the city, one table per county: its totals are the county row above, so the
            // suppression of each table sees the same equations a reader of both tables has
            for (ScreeningFigures.Child c : children) {
                Area county = new Area(Area.Level.COUNTY, c.code(), c.name());
                List<ScreeningFigures.Child> schools = figures.schoolsOf(county, campaign);
                tables.add(riskTable("schools-" + c.code(), c.name() + " 各学校学生风险分布", "Students by school and risk: " + c.code(),
                        "学校", schools, figures.studentsByRisk(county, campaignId, "school_id"), true, schools.size() < 2, "school"));
            }
        }
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("campaignId", campaignId.toString());
        filters.put("campaign", campaign.name());
        filters.put("instruments", String.join("、", campaign.instruments()));
        filters.put("grades", campaign.grades().stream().map(g -> g + "年级").reduce((a, b) -> a + "、" + b).orElse(""));
        return new Report("screening", "心理健康筛查报告 · " + campaign.name(), area.level().id(), area.code(), area.name(), filters,
                OffsetDateTime.now(ZoneOffset.UTC), tables, List.of(
                        "覆盖率 = 已筛查学生 / （本次筛查学校与年级的在册学生 − 监护人未同意的学生） (coverage = screened / (enrolled in the"
                                + " campaign's schools and grades − students whose guardians declined or withdrew consent))",
                        "学校及以下层级 1–4 的计数显示为“<5”，“*”为防止反推而隐去 (counts 1–4 at school level and below are shown as <5; * hides a cell that would reveal one)"));
    }

    private Table coverage(Area area, List<ScreeningFigures.Child> children, Map<String, long[]> enrolled, Map<String, long[]> byRisk,
                           String header, boolean oneSchool, boolean smallRows) {
        TableBuilder t = new TableBuilder("coverage", "筛查覆盖率", "Coverage", header)
                .column(Table.Column.figure("enrolled", "在册学生", "Enrolled"))
                .column(Table.Column.count("notConsenting", "未同意", "Guardian did not consent"))
                .column(Table.Column.count("screened", "已筛查", "Screened"))
                // hidden with either count it is made of: the screened, or the students whose guardians did not consent
                .column(Table.Column.percentOf("coverage", "覆盖率", "Coverage", 2, List.of(1)))
                .small(smallRows, oneSchool).drill(area.level().child);
        long allEnrolled = 0;
        long allDeclined = 0;
        long allScreened = 0;
        for (ScreeningFigures.Child c : children) {
            long[] cell = enrolled.getOrDefault(c.code(), new long[2]);
            long e = cell[0];
            long declined = cell[1];
            long s = sum(byRisk.get(c.code()));
            allEnrolled += e;
            allDeclined += declined;
            allScreened += s;
            t.row(c.code(), c.name(), Table.Cell.count(e), Table.Cell.count(declined), Table.Cell.count(s), coverage(s, e - declined));
        }
        t.totals(Table.Cell.count(allEnrolled), Table.Cell.count(allDeclined), Table.Cell.count(allScreened),
                coverage(allScreened, allEnrolled - allDeclined));
        return t.build();
    }

    private static Table.Cell coverage(long screened, long expected) {
        return Table.Cell.percent(expected <= 0 ? null : 100.0 * screened / expected);
    }

    private Table riskTable(String id, String title, String titleEn, String header, List<ScreeningFigures.Child> rows, Map<String, long[]> data,
                            boolean smallRows, boolean smallTotals, String drill) {
        TableBuilder t = new TableBuilder(id, title, titleEn, header).riskColumns();
        t.column(Table.Column.percentOf("high", "高风险及以上占比", "High or critical", Risk.ALL.size(),
                List.of(Risk.HIGH.rank(), Risk.CRITICAL.rank())));
        t.small(smallRows, smallTotals).drill(drill);
        long[] all = new long[Risk.ALL.size()];
        for (ScreeningFigures.Child c : rows) {
            long[] v = data.getOrDefault(c.code(), new long[Risk.ALL.size()]);
            t.row(c.code(), c.name(), riskCells(v));
            for (int i = 0; i < all.length; i++) {
                all[i] += v[i];
            }
        }
        t.totals(riskCells(all));
        return t.build();
    }

    private static Table.Cell[] riskCells(long[] v) {
        List<Table.Cell> cells = new ArrayList<>(TableBuilder.riskCells(v));
        long total = sum(v);
        long high = v[Risk.HIGH.rank()] + v[Risk.CRITICAL.rank()];
        cells.add(Table.Cell.percent(total == 0 ? null : 100.0 * high / total));
        return cells.toArray(Table.Cell[]::new);
    }

    private Table bands(Area area, String instrument, ScreeningFigures.Results results, List<ScreeningFigures.Child> children, String header, boolean oneSchool,
                        boolean smallRows) {
        List<String> bands = BANDS.getOrDefault(instrument, List.of());
        TableBuilder t = new TableBuilder("bands-" + instrument, instrument + " 结果分级", instrument + " results by band", header);
        bands.forEach(b -> t.column(Table.Column.count(b, BAND_NAMES.getOrDefault(b, b), b)));
        t.column(Table.Column.count("total", "合计", "Total"));
        t.sums(IntStream.range(0, bands.size()).boxed().toList(), bands.size());
        t.small(smallRows, oneSchool).drill(area.level().child);
        for (ScreeningFigures.Child c : children) {
            long[] v = results.bands().getOrDefault(c.code(), Map.of()).getOrDefault(instrument, new long[bands.size()]);
            Table.Cell[] cells = new Table.Cell[bands.size() + 1];
            for (int i = 0; i < v.length; i++) {
                cells[i] = Table.Cell.count(v[i]);
            }
            cells[bands.size()] = Table.Cell.count(sum(v));
            t.row(c.code(), c.name(), cells);
        }
        return t.build();
    }

    private Table modes(Area area, ScreeningFigures.Results results, List<ScreeningFigures.Child> children, String header, boolean oneSchool, boolean smallRows) {
        Map<String, long[]> data = results.modes();
        TableBuilder t = new TableBuilder("modes", "线上与纸质问卷", "Online and paper questionnaires", header)
                .column(Table.Column.count("ONLINE", "线上", "Online"))
                .column(Table.Column.count("PAPER", "纸质", "Paper"))
                .column(Table.Column.count("total", "合计", "Total"))
                .sums(List.of(0, 1), 2).small(smallRows, oneSchool).drill(area.level().child);
        for (ScreeningFigures.Child c : children) {
            long[] v = data.getOrDefault(c.code(), new long[2]);
            t.row(c.code(), c.name(), Table.Cell.count(v[0]), Table.Cell.count(v[1]), Table.Cell.count(v[0] + v[1]));
        }
        return t.build();
    }

    private static long sum(long[] v) {
        return v == null ? 0 : java.util.Arrays.stream(v).sum();
    }

}
