package cn.xinqiao.reporting.screening;

import cn.xinqiao.reporting.directory.Area;
import cn.xinqiao.reporting.directory.Areas;
import cn.xinqiao.reporting.domain.Risk;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What the screening read models say about an area in a campaign: its campaigns, its children (counties, schools,
 * grades), enrolment, students by campaign risk, results by band and mode. Counts only; the report decides what
 * is shown.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ScreeningFigures {

    @Inject
    EntityManager em;

    @Inject
    Areas areas;

    public record CampaignInfo(UUID id, String name, String ownerArea, List<String> instruments, List<Integer> grades,
                               OffsetDateTime opensAt, OffsetDateTime closesAt, long schools) {
    }

    /** Campaigns with at least one school under the area, newest first. */
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

    record Child(String code, String name) {
    }

    /** Whether any group (a county, a grade) under the area holds the screened students of fewer than two schools. */
    boolean fromOneSchool(Area area, UUID campaignId, String group) {
        Object n = em.createNativeQuery("select count(*) from (select " + group + " from student_agg where campaign_id = ?1 and "
                        + areaFilter(area, "") + " group by " + group + " having count(distinct school_id) < 2) g")
                .setParameter(1, campaignId).setParameter(2, areaParam(area)).getSingleResult();
        return ((Number) n).longValue() > 0;
    }

    List<Child> children(Area area, CampaignInfo campaign) {
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

    List<Child> schoolsOf(Area area, CampaignInfo campaign) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select cs.school_id, coalesce(d.name, cs.school_id) from campaign_school cs
                        left join school_dim d on d.school_id = cs.school_id
                        where cs.campaign_id = ?1 and cs.district_code like ?2 order by cs.school_id""")
                .setParameter(1, campaign.id()).setParameter(2, area.districtPattern()).getResultList();
        return rows.stream().map(r -> new Child((String) r[0], (String) r[1])).toList();
    }

    static List<Child> grades(CampaignInfo campaign) {
        return campaign.grades().stream().map(g -> new Child(g.toString(), g + "年级")).toList();
    }

    private String areaFilter(Area area, String alias) {
        return area.isSchool() ? alias + "school_id = ?2" : alias + "district_code like ?2";
    }

    private Object areaParam(Area area) {
        return area.isSchool() ? area.code() : area.districtPattern();
    }

    /** Enrolled students of the campaign's schools and grades, and of them those whose guardians did not consent. */
    Map<String, long[]> enrolled(Area area, CampaignInfo campaign, String childExpr) {
        String expr = childExpr.equals("grade::text") ? "e.grade::text" : "d." + childExpr;
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select %s, sum(e.students), sum(e.not_consenting) from campaign_school cs
                        join school_dim d on d.school_id = cs.school_id
                        join enrolment e on e.school_id = cs.school_id
                        join campaign_dim c on c.campaign_id = cs.campaign_id
                        where cs.campaign_id = ?1 and %s and e.grade = any (c.grades) group by 1"""
                        .formatted(expr, areaFilter(area, "cs.")))
                .setParameter(1, campaign.id()).setParameter(2, areaParam(area)).getResultList();
        Map<String, long[]> out = new TreeMap<>();
        rows.forEach(r -> out.put((String) r[0], new long[]{((Number) r[1]).longValue(), ((Number) r[2]).longValue()}));
        return out;
    }

    Map<String, long[]> studentsByRisk(Area area, UUID campaignId, String childExpr) {
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

    /** One pass over the result aggregate: per child, per instrument, results by band; per child, online and paper. */
    record Results(Map<String, Map<String, long[]>> bands, Map<String, long[]> modes) {
    }

    Results results(Area area, UUID campaignId, String childExpr) {
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
            List<String> known = ScreeningReports.BANDS.getOrDefault(instrument, List.of());
            int i = known.indexOf((String) r[2]);
            if (i >= 0) {
                bands.computeIfAbsent(child, k -> new TreeMap<>()).computeIfAbsent(instrument, k -> new long[known.size()])[i] += n;
            }
            modes.computeIfAbsent(child, k -> new long[2])["ONLINE".equals(r[3]) ? 0 : 1] += n;
        }
        return new Results(bands, modes);
    }

    /** Sums a "grade|sex" keyed map down to one of its two parts. */
    static Map<String, long[]> rollUp(Map<String, long[]> bySex, int part) {
        Map<String, long[]> out = new TreeMap<>();
        bySex.forEach((key, v) -> {
            long[] sum = out.computeIfAbsent(key.split("\\|")[part], k -> new long[v.length]);
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i];
            }
        });
        return out;
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
