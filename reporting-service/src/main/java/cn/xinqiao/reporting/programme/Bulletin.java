package cn.xinqiao.reporting.programme;

import cn.xinqiao.platform.pdf.ChinesePdf;
import cn.xinqiao.reporting.directory.Area;
import cn.xinqiao.reporting.directory.Areas;
import cn.xinqiao.reporting.domain.Table;
import cn.xinqiao.reporting.domain.TableBuilder;
import cn.xinqiao.reporting.export.PdfChart;
import cn.xinqiao.reporting.export.PdfExport;
import cn.xinqiao.reporting.report.Period;
import cn.xinqiao.reporting.report.Report;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The bureau's monthly bulletin (通报) as PDF: the month's figures, the semester trends as charts, the rankings
 * with their rules, and the schools behind — coverage under target so far this semester, referrals escalated in
 * the month. Counts only: no student appears, and a school's counts of 1–4 show as "<5".
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class Bulletin {

    @Inject
    ProgrammeReports programme;

    @Inject
    Indicators indicators;

    @Inject
    Areas areas;

    /** Coverage (%) under which a school is named in the bulletin. */
    @ConfigProperty(name = "xinqiao.bulletin.coverage-target", defaultValue = "90")
    double coverageTarget;

    /** What the bulletin holds, before it is drawn: tested on its own, and drawn by {@link #write}. */
    public record Content(Area area, Window window, Report trends, Report rankings, Table behindOnCoverage, Table escalatedReferrals,
                          OffsetDateTime generatedAt) {
    }

    public Content content(Area area, YearMonth month, LocalDate today) {
        Window window = Window.of(month);
        List<Metric> metrics = List.of(Metric.values());
        Report trends = programme.trends(area, List.of(Metric.COVERAGE, Metric.FOLLOW_UP, Metric.REFERRAL_TIMELINESS), today);
        Report rankings = programme.rankings(area, metrics, window);
        return new Content(area, window, trends, rankings, behindOnCoverage(area, window), escalated(area, window.period()),
                OffsetDateTime.now(ZoneOffset.UTC));
    }

    private Table behindOnCoverage(Area area, Window window) {
        List<Area> counties = area.level() == Area.Level.CITY
                ? indicators.slice(Metric.COVERAGE, area, window, OffsetDateTime.now(ZoneOffset.UTC)).children().stream()
                        .map(r -> new Area(Area.Level.COUNTY, r.code(), r.name())).toList()
                : List.of(area);
        List<Table.Row> rows = new ArrayList<>();
        for (Area county : counties) {
            Indicators.Slice s = indicators.slice(Metric.COVERAGE, county, window, OffsetDateTime.now(ZoneOffset.UTC));
            for (Table.Row school : s.children()) {
                Double coverage = s.key(school);
                if (coverage != null && coverage < coverageTarget) {
                    rows.add(new Table.Row(school.code(), county.name() + " · " + school.name(), List.of(
                            school.cells().get(s.index("screened")), school.cells().get(s.index("coverage")))));
                }
            }
        }
        rows.sort(java.util.Comparator.comparing((Table.Row r) -> r.cells().get(1).value()).thenComparing(Table.Row::code));
        return new Table("behind-on-coverage", "筛查覆盖率低于 " + fmt(coverageTarget) + "% 的学校", "Schools under the coverage target",
                "学校", List.of(Table.Column.count("screened", "已筛查", "Screened"), Table.Column.percent("coverage", "覆盖率", "Coverage", 0)),
                List.copyOf(rows), null, List.of(), null, true, false, null);
    }

    /** Schools with escalated referrals: a school's count, suppressed as every school-level count is (1–4 as "<5"). */
    private Table escalated(Area area, Period period) {
        TableBuilder t = new TableBuilder("escalated-referrals", "本月有升级转介的学校（医院未按时接收或无合作医院）",
                "Schools with escalated referrals this month", "学校")
                .column(Table.Column.count("escalated", "升级转介", "Escalated referrals")).small(true, false);
        for (Object[] r : programme.escalatedReferralsBySchool(area, period)) {
            t.row((String) r[1], areas.districtName((String) r[0]) + " · " + areas.schoolName((String) r[1]), Table.Cell.count(((Number) r[2]).longValue()));
        }
        return t.build();
    }

    public void write(Content c, OutputStream out) throws IOException {
        String title = c.area().name() + "中小学生心理健康工作通报";
        try (ChinesePdf pdf = new ChinesePdf(ChinesePdf.a4Portrait(), 40, title + " · " + c.window().label())) {
            pdf.text(16, title);
            pdf.text(11, c.window().label() + "（" + c.window().period().from() + " 至 " + c.window().period().to() + "）");
            pdf.text(8, "生成时间 " + c.generatedAt().atZoneSameInstant(Period.CHINA).toLocalDateTime().withNano(0)
                    + " · 本通报仅含统计数字，不含任何学生个人信息；学校层级 1–4 的计数显示为“<5”");
            pdf.gap(6);
            pdf.text(12, "一、本期概况");
            PdfExport.table(pdf, overview(c));
            pdf.gap(6);
            pdf.text(12, "二、学期趋势");
            for (Table t : c.trends().tables()) {
                PdfChart.trend(pdf, t, Metric.parse(t.id().substring("trend-".length())).get(0).key);
            }
            pdf.gap(6);
            pdf.text(12, "三、" + (c.area().level() == Area.Level.CITY ? "区县" : "学校") + "排名");
            for (Table t : c.rankings().tables()) {
                pdf.gap(4);
                PdfExport.table(pdf, t);
            }
            pdf.gap(6);
            pdf.text(12, "四、需要关注的学校");
            for (Table t : List.of(c.behindOnCoverage(), c.escalatedReferrals())) {
                pdf.gap(4);
                if (t.rows().isEmpty()) {
                    pdf.text(10, t.title());
                    pdf.text(9, "无。");
                } else {
                    PdfExport.table(pdf, t);
                }
            }
            pdf.gap(8);
            for (String note : c.rankings().notes()) {
                pdf.text(7, "注：" + note);
            }
            pdf.save(out);
        }
    }

    /** Each metric's area line in the window: the figure it is ranked by, as the rankings' totals show it. */
    private static Table overview(Content c) {
        List<Table.Row> rows = new ArrayList<>();
        for (Table t : c.rankings().tables()) {
            Metric m = Metric.parse(t.id().substring("ranking-".length())).get(0);
            int key = 0;
            for (int i = 0; i < t.columns().size(); i++) {
                if (t.columns().get(i).id().equals(m.key)) {
                    key = i;
                }
            }
            rows.add(new Table.Row(m.id, m.zh, List.of(Table.Cell.text(t.totals().cells().get(key).display()),
                    Table.Cell.text(t.columns().get(key).label()))));
        }
        return new Table("overview", c.area().name() + " · " + c.window().label(), "Overview", "指标",
                List.of(Table.Column.text("value", "本期", "This period"), Table.Column.text("measure", "口径", "Measure")),
                List.copyOf(rows), null, List.of(), null, false, false, null);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString(Math.round(v)) : Double.toString(v);
    }
}
