package cn.xinqiao.reporting.analysis;

import cn.xinqiao.platform.db.SqlValues;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.problem.ProblemDetails;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.reporting.directory.Area;
import cn.xinqiao.reporting.domain.Semester;
import cn.xinqiao.reporting.domain.Table;
import cn.xinqiao.reporting.programme.Indicators;
import cn.xinqiao.reporting.programme.Metric;
import cn.xinqiao.reporting.programme.ProgrammeReports;
import cn.xinqiao.reporting.programme.Window;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The expert group's analysis report of a semester for a city or county, at three levels: the area's figures and
 * trends, each county (or school) ranked on every metric, and — for a city — each county's schools on coverage. The
 * experts write a draft; signing freezes the commentary with the figures of that moment as a new version with its
 * SHA-256, and a signed version never changes. Only de-identified, suppressed figures: what the reports show.
 */
@ApplicationScoped
public class AnalysisReports {

    public record View(UUID id, String level, String code, String semester, Integer version, String status, String commentary,
                       String digest, String draftedBy, OffsetDateTime draftedAt, String signerName, OffsetDateTime signedAt) {
    }

    /** A version with its frozen figures (a draft's are computed when it is read). */
    public record Full(View report, List<Table> figures) {
    }

    @Inject
    EntityManager em;

    @Inject
    Caller caller;

    @Inject
    ProgrammeReports programme;

    @Inject
    Indicators indicators;

    @Inject
    ObjectMapper json;

    /** Writes (or rewrites) the area's draft for the semester. */
    @Transactional
    public View draft(Area area, Semester semester, String commentary) {
        requireExpert(area);
        if (commentary == null || commentary.isBlank() || commentary.length() > 20_000) {
            throw Problem.invalid("the commentary cannot be saved",
                    List.of(new ProblemDetails.FieldError("commentary", "is the experts' analysis: 1–20000 characters")));
        }
        int updated = em.createNativeQuery("""
                        update analysis_report set commentary = ?4, drafted_by = ?5, drafted_at = now()
                        where area_level = ?1 and area_code = ?2 and semester = ?3 and status = 'DRAFT'""")
                .setParameter(1, area.level().id()).setParameter(2, area.code()).setParameter(3, semester.id())
                .setParameter(4, commentary.strip()).setParameter(5, caller.subject()).executeUpdate();
        if (updated == 0) {
            em.createNativeQuery("""
                            insert into analysis_report (id, area_level, area_code, semester, status, commentary, drafted_by)
                            values (?1, ?2, ?3, ?4, 'DRAFT', ?5, ?6)""")
                    .setParameter(1, UUID.randomUUID()).setParameter(2, area.level().id()).setParameter(3, area.code())
                    .setParameter(4, semester.id()).setParameter(5, commentary.strip()).setParameter(6, caller.subject()).executeUpdate();
        }
        return versions(area, semester).stream().filter(v -> "DRAFT".equals(v.status())).findFirst().orElseThrow();
    }

    /** Signs the draft: the figures of this moment are frozen with it as the next version; the draft is gone. */
    @Transactional
    public View sign(UUID id, LocalDate today) {
        Tuple row = row(id);
        Area area = area(row);
        requireExpert(area);
        if (!"DRAFT".equals(row.get("status"))) {
            throw Problem.conflict("already-signed", "a signed version never changes: write a new draft to sign the next version");
        }
        Semester semester = Semester.parse((String) row.get("semester"));
        String figures = write(figures(area, semester, today));
        String commentary = (String) row.get("commentary");
        Number last = (Number) em.createNativeQuery("""
                        select coalesce(max(version), 0) from analysis_report where area_level = ?1 and area_code = ?2 and semester = ?3""")
                .setParameter(1, area.level().id()).setParameter(2, area.code()).setParameter(3, semester.id()).getSingleResult();
        em.createNativeQuery("""
                        update analysis_report set status = 'SIGNED', version = ?2, figures = ?3, digest = ?4, signed_by = ?5,
                            signer_name = ?6, signed_at = now() where id = ?1""")
                .setParameter(1, id).setParameter(2, last.intValue() + 1).setParameter(3, figures)
                .setParameter(4, digest(commentary, figures)).setParameter(5, caller.subject())
                .setParameter(6, caller.claim("name").orElse(caller.subject())).executeUpdate();
        return view(row(id));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<View> versions(Area area, Semester semester) {
        requireReader(area);
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("""
                        select * from analysis_report where area_level = ?1 and area_code = ?2 and semester = ?3
                        order by version desc nulls first""", Tuple.class)
                .setParameter(1, area.level().id()).setParameter(2, area.code()).setParameter(3, semester.id()).getResultList();
        return rows.stream().map(AnalysisReports::view).toList();
    }

    /** One version with its figures: frozen for a signed one, as of now for the draft. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Full full(UUID id, LocalDate today) {
        Tuple row = row(id);
        Area area = area(row);
        requireReader(area);
        View view = view(row);
        List<Table> figures = "SIGNED".equals(view.status()) ? read((String) row.get("figures"))
                : figures(area, Semester.parse(view.semester()), today);
        return new Full(view, figures);
    }

    /** Whether a signed version's commentary and figures are still what was signed. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean intact(UUID id) {
        Tuple row = row(id);
        requireReader(area(row));
        return row.get("digest") != null && row.get("digest").equals(digest((String) row.get("commentary"), (String) row.get("figures")));
    }

    private List<Table> figures(Area area, Semester semester, LocalDate today) {
        List<Metric> metrics = List.of(Metric.COVERAGE, Metric.RISK, Metric.REFERRAL_TIMELINESS, Metric.FOLLOW_UP, Metric.ACTIVITIES);
        List<Table> tables = new ArrayList<>(programme.trends(area, List.of(Metric.COVERAGE, Metric.RISK, Metric.FOLLOW_UP), today).tables());
        tables.addAll(programme.rankings(area, metrics, Window.of(semester)).tables());
        if (area.level() == Area.Level.CITY) {
            Indicators.Slice counties = indicators.slice(Metric.COVERAGE, area, Window.of(semester), OffsetDateTime.now(ZoneOffset.UTC));
            for (Table.Row county : counties.children()) {
                Area c = new Area(Area.Level.COUNTY, county.code(), county.name());
                Table t = ProgrammeReports.ranked(indicators.slice(Metric.COVERAGE, c, Window.of(semester), OffsetDateTime.now(ZoneOffset.UTC)));
                tables.add(new Table("schools-" + c.code(), c.name() + " · " + t.title(), t.titleEn(), t.rowHeader(), t.columns(), t.rows(),
                        t.totals(), t.partColumns(), t.totalColumn(), t.rowsAreSmallAreas(), t.totalsAreSmallArea(), t.drillLevel()));
            }
        }
        return tables;
    }

    private void requireExpert(Area area) {
        if (!caller.hasRole(Role.EXPERT_REVIEWER) || !caller.coversDistrict(area.code())) {
            throw Problem.forbidden("the analysis report is written and signed by the expert group of the area");
        }
    }

    private void requireReader(Area area) {
        if (!caller.hasAnyRole(Role.EXPERT_REVIEWER, Role.BUREAU_ANALYST) || !caller.coversDistrict(area.code())) {
            throw Problem.forbidden("this area is outside your jurisdiction");
        }
    }

    private Tuple row(UUID id) {
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("select id, area_level, area_code, semester, version, status, commentary, figures,"
                        + " digest, drafted_by, drafted_at, signer_name, signed_at from analysis_report where id = ?1", Tuple.class)
                .setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            throw Problem.notFound("no such analysis report");
        }
        return rows.get(0);
    }

    private static Area area(Tuple row) {
        return new Area(Area.Level.valueOf(((String) row.get("area_level")).toUpperCase()), (String) row.get("area_code"), (String) row.get("area_code"));
    }

    static String digest(String commentary, String figures) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(commentary.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(figures.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(List<Table> tables) {
        try {
            return json.writeValueAsString(tables);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Table> read(String figures) {
        try {
            return json.readValue(figures, new TypeReference<List<Table>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static View view(Tuple t) {
        Number version = (Number) t.get("version");
        return new View((UUID) t.get("id"), (String) t.get("area_level"), (String) t.get("area_code"), (String) t.get("semester"),
                version == null ? null : version.intValue(), (String) t.get("status"), (String) t.get("commentary"), (String) t.get("digest"),
                (String) t.get("drafted_by"), SqlValues.time(t.get("drafted_at")), (String) t.get("signer_name"), SqlValues.time(t.get("signed_at")));
    }

}
