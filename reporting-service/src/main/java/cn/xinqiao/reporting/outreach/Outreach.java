package cn.xinqiao.reporting.outreach;

import cn.xinqiao.platform.db.SqlValues;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.problem.ProblemDetails;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import java.net.URI;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A partner hospital's outreach record: publications on its channels and visits to schools, kept by its clinicians. */
@ApplicationScoped
public class Outreach {

    public static final List<String> KINDS = List.of("PUBLICATION", "SCHOOL_VISIT");
    public static final List<String> CHANNELS = List.of("WECHAT", "WEBSITE", "VIDEO", "PRINT", "BROADCAST", "CLASSROOM", "OTHER");

    public record NewItem(String kind, String channel, String title, LocalDate publishedOn, String link, String schoolId) {
    }

    public record Item(UUID id, String hospitalId, String kind, String channel, String title, LocalDate publishedOn, String link,
                       String schoolId, String recordedBy, OffsetDateTime recordedAt) {
    }

    @Inject
    EntityManager em;

    @Inject
    Caller caller;

    @Transactional
    public Item record(String hospitalId, NewItem in, LocalDate today) {
        if (!caller.actsForHospital(hospitalId)) {
            throw Problem.forbidden("a hospital's outreach is recorded by its own clinicians");
        }
        String district = district(hospitalId);
        List<ProblemDetails.FieldError> errors = new ArrayList<>();
        if (in.kind() == null || !KINDS.contains(in.kind())) {
            errors.add(new ProblemDetails.FieldError("kind", "must be one of " + KINDS));
        }
        if (in.channel() == null || !CHANNELS.contains(in.channel())) {
            errors.add(new ProblemDetails.FieldError("channel", "must be one of " + CHANNELS));
        }
        if (in.title() == null || in.title().isBlank() || in.title().length() > 200) {
            errors.add(new ProblemDetails.FieldError("title", "is required, at most 200 characters"));
        }
        if (in.publishedOn() == null || in.publishedOn().isAfter(today) || in.publishedOn().isBefore(today.minusYears(2))) {
            errors.add(new ProblemDetails.FieldError("publishedOn", "is a date in the last two years, not in the future"));
        }
        if (in.link() != null && !in.link().isBlank() && !webLink(in.link())) {
            errors.add(new ProblemDetails.FieldError("link", "must be an http(s) address of at most 500 characters"));
        }
        if ("SCHOOL_VISIT".equals(in.kind()) && (in.schoolId() == null || !in.schoolId().matches("S[0-9]{9}"))) {
            errors.add(new ProblemDetails.FieldError("schoolId", "a school visit names the school (S + 9 digits)"));
        } else if (in.schoolId() != null && !"SCHOOL_VISIT".equals(in.kind())) {
            errors.add(new ProblemDetails.FieldError("schoolId", "only a school visit names a school"));
        }
        if (!errors.isEmpty()) {
            throw Problem.invalid("the outreach cannot be recorded", errors);
        }
        UUID id = UUID.randomUUID();
        em.createNativeQuery("""
                        insert into outreach_item (id, hospital_id, district_code, kind, channel, title, published_on, link, school_id, recorded_by)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)""")
                .setParameter(1, id).setParameter(2, hospitalId).setParameter(3, district).setParameter(4, in.kind())
                .setParameter(5, in.channel()).setParameter(6, in.title().strip()).setParameter(7, in.publishedOn())
                .setParameter(8, in.link() == null || in.link().isBlank() ? null : in.link().strip()).setParameter(9, in.schoolId())
                .setParameter(10, caller.subject()).executeUpdate();
        return list(hospitalId, in.publishedOn().getYear()).stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Item> list(String hospitalId, int year) {
        String district = district(hospitalId);
        if (!caller.actsForHospital(hospitalId) && !(caller.hasAnyRole(Role.BUREAU_ANALYST, Role.PLATFORM_ADMIN) && caller.coversDistrict(district))) {
            throw Problem.forbidden("this hospital is outside your jurisdiction");
        }
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("""
                        select * from outreach_item where hospital_id = ?1 and published_on between ?2 and ?3
                        order by published_on desc, recorded_at desc""", Tuple.class)
                .setParameter(1, hospitalId).setParameter(2, LocalDate.of(year, 1, 1)).setParameter(3, LocalDate.of(year, 12, 31))
                .getResultList();
        return rows.stream().map(Outreach::item).toList();
    }

    @Transactional
    public void delete(String hospitalId, UUID id) {
        if (!caller.actsForHospital(hospitalId)) {
            throw Problem.forbidden("a hospital's outreach is kept by its own clinicians");
        }
        if (em.createNativeQuery("delete from outreach_item where id = ?1 and hospital_id = ?2").setParameter(1, id)
                .setParameter(2, hospitalId).executeUpdate() == 0) {
            throw Problem.notFound("no such outreach record");
        }
    }

    private String district(String hospitalId) {
        if (hospitalId == null || !hospitalId.matches("H[0-9]{9}")) {
            throw Problem.badRequest("bad-hospital", "hospitalId must be H + 9 digits");
        }
        @SuppressWarnings("unchecked")
        List<String> found = em.createNativeQuery("select district_code from hospital_dim where hospital_id = ?1")
                .setParameter(1, hospitalId).getResultList();
        if (found.isEmpty()) {
            throw Problem.notFound("no such hospital in the directory");
        }
        return found.get(0);
    }

    static boolean webLink(String link) {
        if (link.length() > 500) {
            return false;
        }
        try {
            URI uri = new URI(link.strip());
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static Item item(Tuple t) {
        return new Item((UUID) t.get("id"), (String) t.get("hospital_id"), (String) t.get("kind"), (String) t.get("channel"),
                (String) t.get("title"), SqlValues.date(t.get("published_on")), (String) t.get("link"),
                (String) t.get("school_id"), (String) t.get("recorded_by"), SqlValues.time(t.get("recorded_at")));
    }
}
