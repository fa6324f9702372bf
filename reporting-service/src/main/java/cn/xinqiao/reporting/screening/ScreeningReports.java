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
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
            "ASQ", List.of("negative", "positive", "acute-positive"));

    @Inject
    EntityManager em;

    @Inject
    Areas areas;

    public record CampaignInfo(UUID id, String name, String ownerArea, List<String> instruments, List<Integer> grades,
                               OffsetDateTime opensAt, OffsetDateTime closesAt, long schools) {
    }

    /** Campaigns with at least one school under the area, newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<CampaignInfo> campaigns(Area area) {
        String filter = area.isSchool() ? "cs.school_id = ?1" : "cs.district_code like ?1";
        List<Tuple> rows = em.createNativeQuery("""
                        select c.campaign_id, c.name, c.owner_area, array_to_string(c.instruments, ',') instruments,
                               array_to_string(c.grades, ',') grades, c.opens_at, c.closes_at, count(cs.school_id) schools
                        from campaign_dim c join campaign_school cs on cs.campaign_id = c.campaign_id
                        where %s group by c.campaign_id order by c.opens_at desc""".formatted(filter), Tuple.class)
                .setParameter(1, area.isSchool() ? area.code() : area.districtPattern()).getResultList();
        return rows.stream().map(t -> new CampaignInfo((UUID) t.get("campaign_id"), (String) t.get("name"),
                (String) t.get("owner_area"), List.of(((String) t.get("instruments")).split(",")),
                java.util.Arrays.stream(((String) t.get("grades")).split(",")).map(Integer::valueOf).toList(),
                odt(t.get("opens_at")), odt(t.get("closes_at")), ((Number) t.get("schools")).longValue())).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Report report(Area area, UUID campaignId, boolean detail) {
        CampaignInfo campaign = campaigns(area).stream().filter(c -> c.id().equals(campaignId)).findFirst()
                .orElseThrow(() -> Problem.notFound("no such campaign under this area"));
        List<Child> children = children(area, campaign);
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
        Map<String, Long> enrolled = enrolled(area, campaign, childExpr);
        Map<String, long[]> byRisk = studentsByRisk(area, campaignId, childExpr);
        if (area.isSchool()) {
            // a junior school in an all-grades campaign: only the grades it has
            children = children.stream().filter(c -> enrolled.containsKey(c.code()) || byRisk.containsKey(c.code())).toList();
        }
        List<Child> gradeRows = area.isSchool() ? children : grades(campaign);
        // a row that holds one school's students is school-level data, whatever its label: a county with a
        // single school in a city report, a grade only one school teaches in a county report
        boolean childRowsSmall = area.level() != Area.Level.CITY || fromOneSchool(area, campaignId, "district_code");
        boolean gradeRowsSmall = oneSchool || fromOneSchool(area, campaignId, "grade");
        tables.add(coverage(area, children, enrolled, byRisk, childHeader, oneSchool, childRowsSmall));
        tables.add(riskTable("risk", "学生风险分布（按本次筛查最高风险）", "Students by campaign risk (highest across instruments)",
                childHeader, children, byRisk, childRowsSmall, oneSchool, area.level().child));
        Map<String, long[]> byGradeSex = studentsByRisk(area, campaignId, "grade::text || '|' || sex");
        tables.add(riskTable("risk-by-grade", "各年级学生风险分布", "Students by grade and risk", "年级",
                gradeRows, rollUp(byGradeSex, 0), gradeRowsSmall, oneSchool, null));
        tables.add(riskTable("risk-by-sex", "分性别学生风险分布", "Students by sex and risk", "性别",
                List.of(new Child("FEMALE", "女"), new Child("MALE", "男"), new Child("UNKNOWN", "未填")),
                rollUp(byGradeSex, 1), oneSchool, oneSchool, null));
        Results results = results(area, campaignId, childExpr);
        for (String instrument : campaign.instruments()) {
            tables.add(bands(area, instrument, results, children, childHeader, oneSchool, childRowsSmall));
        }
        tables.add(modes(area, results, children, childHeader, oneSchool, childRowsSmall));
        if (detail && area.level() == Area.Level.CITY) {
            // every school of the city, one table per county: its totals are the county row above, so the
            // suppression of each table sees the same equations a reader of both tables has
            for (Child c : children) {
                Area county = new Area(Area.Level.COUNTY, c.code(), c.name());
                List<Child> schools = schoolsOf(county, campaign);
                tables.add(riskTable("schools-" + c.code(), c.name() + " 各学校学生风险分布", "Students by school and risk: " + c.code(),
                        "学校", schools, studentsByRisk(county, campaignId, "school_id"), true, schools.size() < 2, "school"));
            }
        }
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("campaignId", campaignId.toString());
        filters.put("campaign", campaign.name());
        filters.put("instruments", String.join("、", campaign.instruments()));
        filters.put("grades", campaign.grades().stream().map(g -> g + "年级").reduce((a, b) -> a + "、" + b).orElse(""));
        return new Report("screening", "心理健康筛查报告 · " + campaign.name(), area.level().id(), area.code(), area.name(), filters,
                OffsetDateTime.now(ZoneOffset.UTC), tables, List.of(
                        "覆盖率 = 已筛查学生 / 本次筛查学校与年级的在册学生 (coverage = screened / enrolled in the campaign's schools and grades)",
                        "学校及以下层级 1–4 的计数显示为“<5”，“*”为防止反推而隐去 (counts 1–4 at school level and below are shown as <5; * hides a cell that would reveal one)"));
    }

    record Child(String code, String name) {
    }

    /** Whether any group (a county, a grade) under the area holds the screened students of fewer than two schools. */
    private boolean fromOneSchool(Area area, UUID campaignId, String group) {
        Object n = em.createNativeQuery("select count(*) from (select " + group + " from student_agg where campaign_id = ?1 and "
                        + areaFilter(area, "") + " group by " + group + " having count(distinct school_id) < 2) g")
                .setParameter(1, campaignId).setParameter(2, areaParam(area)).getSingleResult();
        return ((Number) n).longValue() > 0;
    }

    private List<Child> children(Area area, CampaignInfo campaign) {
        return switch (area.level()) {
            case CITY -> {
                @SuppressWarnings("unchecked")
                List<String> codes = em.createNativeQuery("""
                                select distinct district_code from campaign_school where campaign_id = ?1 and district_code like ?2
                                union select distinct district_code from student_agg where campaign_id = ?1 and district_code like ?2
                                order by 1""").setParameter(1, campaign.id()).setParameter(2, area.districtPattern()).getResultList();
                yield codes.stream().map(c -> new Child(c, areas.districtName(c))).toList();
            }
            case COUNTY -> schoolsOf(area, campaign);
            case SCHOOL -> grades(campaign);
        };
    }

    private List<Child> schoolsOf(Area area, CampaignInfo campaign) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select cs.school_id, coalesce(d.name, cs.school_id) from campaign_school cs
                        left join school_dim d on d.school_id = cs.school_id
                        where cs.campaign_id = ?1 and cs.district_code like ?2 order by cs.school_id""")
                .setParameter(1, campaign.id()).setParameter(2, area.districtPattern()).getResultList();
        return rows.stream().map(r -> new Child((String) r[0], (String) r[1])).toList();
    }

    private static List<Child> grades(CampaignInfo campaign) {
        return campaign.grades().stream().map(g -> new Child(g.toString(), g + "年级")).toList();
    }

    private String areaFilter(Area area, String alias) {
        return area.isSchool() ? alias + "school_id = ?2" : alias + "district_code like ?2";
    }

    private Object areaParam(Area area) {
        return area.isSchool() ? area.code() : area.districtPattern();
    }

    private Map<String, Long> enrolled(Area area, CampaignInfo campaign, String childExpr) {
        String expr = childExpr.equals("grade::text") ? "e.grade::text" : "d." + childExpr;
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select %s, sum(e.students) from campaign_school cs
                        join school_dim d on d.school_id = cs.school_id
                        join enrolment e on e.school_id = cs.school_id
                        join campaign_dim c on c.campaign_id = cs.campaign_id
                        where cs.campaign_id = ?1 and %s and e.grade = any (c.grades) group by 1"""
                        .formatted(expr, areaFilter(area, "cs.")))
                .setParameter(1, campaign.id()).setParameter(2, areaParam(area)).getResultList();
        Map<String, Long> out = new TreeMap<>();
        rows.forEach(r -> out.put((String) r[0], ((Number) r[1]).longValue()));
        return out;
    }

    private Map<String, long[]> studentsByRisk(Area area, UUID campaignId, String childExpr) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select %s, risk_rank, sum(students) from student_agg
                        where campaign_id = ?1 and %s group by 1, 2""".formatted(childExpr, areaFilter(area, "")))
                .setParameter(1, campaignId).setParameter(2, areaParam(area)).getResultList();
        Map<String, long[]> out = new TreeMap<>();
        for (Object[] r : rows) {
            out.computeIfAbsent((String) r[0], k -> new long[Risk.ALL.size()])[((Number) r[1]).intValue()] += ((Number) r[2]).longValue();
        }
        return out;
    }

    private Table coverage(Area area, List<Child> children, Map<String, Long> enrolled, Map<String, long[]> byRisk,
                           String header, boolean oneSchool, boolean smallRows) {
        TableBuilder t = new TableBuilder("coverage", "筛查覆盖率", "Coverage", header)
                .column(Table.Column.figure("enrolled", "在册学生", "Enrolled"))
                .column(Table.Column.count("screened", "已筛查", "Screened"))
                .column(Table.Column.percent("coverage", "覆盖率", "Coverage", 1))
                .small(smallRows, oneSchool).drill(area.level().child);
        long allEnrolled = 0;
        long allScreened = 0;
        for (Child c : children) {
            long e = enrolled.getOrDefault(c.code(), 0L);
            long s = sum(byRisk.get(c.code()));
            allEnrolled += e;
            allScreened += s;
            t.row(c.code(), c.name(), Table.Cell.count(e), Table.Cell.count(s), Table.Cell.percent(e == 0 ? null : 100.0 * s / e));
        }
        t.totals(Table.Cell.count(allEnrolled), Table.Cell.count(allScreened),
                Table.Cell.percent(allEnrolled == 0 ? null : 100.0 * allScreened / allEnrolled));
        return t.build();
    }

    private Table riskTable(String id, String title, String titleEn, String header, List<Child> rows, Map<String, long[]> data,
                            boolean smallRows, boolean smallTotals, String drill) {
        TableBuilder t = new TableBuilder(id, title, titleEn, header).riskColumns();
        t.column(Table.Column.percentOf("high", "高风险及以上占比", "High or critical", Risk.ALL.size(),
                List.of(Risk.HIGH.rank(), Risk.CRITICAL.rank())));
        t.small(smallRows, smallTotals).drill(drill);
        long[] all = new long[Risk.ALL.size()];
        for (Child c : rows) {
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

    /** One pass over the result aggregate: per child, per instrument, results by band; per child, online and paper. */
    record Results(Map<String, Map<String, long[]>> bands, Map<String, long[]> modes) {
    }

    private Results results(Area area, UUID campaignId, String childExpr) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select %s, instrument_id, band, mode, sum(results) from result_agg
                        where campaign_id = ?1 and %s group by 1, 2, 3, 4""".formatted(childExpr, areaFilter(area, "")))
                .setParameter(1, campaignId).setParameter(2, areaParam(area)).getResultList();
        Map<String, Map<String, long[]>> bands = new TreeMap<>();
        Map<String, long[]> modes = new TreeMap<>();
        for (Object[] r : rows) {
            String child = (String) r[0];
            String instrument = (String) r[1];
            long n = ((Number) r[4]).longValue();
            List<String> known = BANDS.getOrDefault(instrument, List.of());
            int i = known.indexOf((String) r[2]);
            if (i >= 0) {
                bands.computeIfAbsent(child, k -> new TreeMap<>()).computeIfAbsent(instrument, k -> new long[known.size()])[i] += n;
            }
            modes.computeIfAbsent(child, k -> new long[2])["ONLINE".equals(r[3]) ? 0 : 1] += n;
        }
        return new Results(bands, modes);
    }

    /** Sums a "grade|sex" keyed map down to one of its two parts. */
    private static Map<String, long[]> rollUp(Map<String, long[]> bySex, int part) {
        Map<String, long[]> out = new TreeMap<>();
        bySex.forEach((key, v) -> {
            long[] sum = out.computeIfAbsent(key.split("\\|")[part], k -> new long[v.length]);
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i];
            }
        });
        return out;
    }

    private Table bands(Area area, String instrument, Results results, List<Child> children, String header, boolean oneSchool,
                        boolean smallRows) {
        List<String> bands = BANDS.getOrDefault(instrument, List.of());
        TableBuilder t = new TableBuilder("bands-" + instrument, instrument + " 结果分级", instrument + " results by band", header);
        bands.forEach(b -> t.column(Table.Column.count(b, BAND_NAMES.getOrDefault(b, b), b)));
        t.column(Table.Column.count("total", "合计", "Total"));
        t.sums(IntStream.range(0, bands.size()).boxed().toList(), bands.size());
        t.small(smallRows, oneSchool).drill(area.level().child);
        for (Child c : children) {
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

    private Table modes(Area area, Results results, List<Child> children, String header, boolean oneSchool, boolean smallRows) {
        Map<String, long[]> data = results.modes();
        TableBuilder t = new TableBuilder("modes", "线上与纸质问卷", "Online and paper questionnaires", header)
                .column(Table.Column.count("ONLINE", "线上", "Online"))
                .column(Table.Column.count("PAPER", "纸质", "Paper"))
                .column(Table.Column.count("total", "合计", "Total"))
                .sums(List.of(0, 1), 2).small(smallRows, oneSchool).drill(area.level().child);
        for (Child c : children) {
            long[] v = data.getOrDefault(c.code(), new long[2]);
            t.row(c.code(), c.name(), Table.Cell.count(v[0]), Table.Cell.count(v[1]), Table.Cell.count(v[0] + v[1]));
        }
        return t.build();
    }

    private static long sum(long[] v) {
        return v == null ? 0 : java.util.Arrays.stream(v).sum();
    }

    private static OffsetDateTime odt(Object o) {
        if (o instanceof OffsetDateTime odt) {
            return odt;
        }
        if (o instanceof java.time.Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        return o == null ? null : ((java.sql.Timestamp) o).toInstant().atOffset(ZoneOffset.UTC);
    }
}
