package cn.xinqiao.screening.instrument;

import cn.xinqiao.platform.db.SqlValues;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.problem.ProblemDetails;
import cn.xinqiao.screening.domain.Instrument;
import cn.xinqiao.screening.domain.InstrumentCheck;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deployment's instruments as versions: the built-in ones published at every start, uploaded ones validated as
 * drafts and published by a platform admin. A published version never changes, so it is cached for the submissions'
 * hot path; "the instrument" without a version is its latest published one (what a new campaign pins).
 */
@ApplicationScoped
public class InstrumentCatalog {

    public record VersionView(String id, String version, String status, Instrument.Text title, int items, String uploadedBy,
                              OffsetDateTime uploadedAt, String publishedBy, OffsetDateTime publishedAt) {
    }

    private final BuiltInInstruments builtIn;
    private final Map<String, Instrument> published = new ConcurrentHashMap<>();

    @Inject
    EntityManager em;

    public InstrumentCatalog(@ConfigProperty(name = "xinqiao.instruments") List<String> files) {
        this.builtIn = new BuiltInInstruments(files);
    }

    @Transactional
    void publishBuiltIns(@Observes StartupEvent start) {
        for (Instrument i : builtIn.all()) {
            em.createNativeQuery("""
                            insert into instrument_version (instrument_id, version, definition, status, uploaded_by, published_by, published_at)
                            values (?1, ?2, ?3, 'PUBLISHED', 'built-in', 'built-in', now()) on conflict do nothing""")
                    .setParameter(1, i.id()).setParameter(2, i.version()).setParameter(3, write(i)).executeUpdate();
        }
    }

    /** The latest published version of every instrument. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Instrument> all() {
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("""
                        select distinct on (instrument_id) instrument_id, version from instrument_version where status = 'PUBLISHED'
                        order by instrument_id, published_at desc, version desc""", Tuple.class).getResultList();
        return rows.stream().map(r -> find((String) r.get("instrument_id"), (String) r.get("version")).orElseThrow()).toList();
    }

    /** The latest published version. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Instrument> find(String id) {
        @SuppressWarnings("unchecked")
        List<String> versions = em.createNativeQuery("""
                        select version from instrument_version where instrument_id = ?1 and status = 'PUBLISHED'
                        order by published_at desc, version desc limit 1""").setParameter(1, id).getResultList();
        return versions.isEmpty() ? Optional.empty() : find(id, versions.get(0));
    }

    /** A published version (cached: it never changes). */
    public Optional<Instrument> find(String id, String version) {
        Instrument cached = published.get(id + "@" + version);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Instrument> found = read(id, version, true);
        found.ifPresent(i -> published.put(id + "@" + version, i));
        return found;
    }

    /** A draft or published version, for the admin's preview. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Instrument> anyVersion(String id, String version) {
        return read(id, version, false);
    }

    /** Validates a definition and keeps it as a draft (replacing a draft of the same version); 409 for a published one. */
    @Transactional
    public VersionView upload(Instrument definition, String by) {
        List<InstrumentCheck.Problem> problems = InstrumentCheck.problems(definition);
        if (!problems.isEmpty()) {
            throw Problem.invalid("the instrument definition cannot be used",
                    problems.stream().map(p -> new ProblemDetails.FieldError(p.field(), p.message())).toList());
        }
        int stored = em.createNativeQuery("""
                        insert into instrument_version (instrument_id, version, definition, status, uploaded_by) values (?1, ?2, ?3, 'DRAFT', ?4)
                        on conflict (instrument_id, version) do update set definition = excluded.definition, uploaded_by = excluded.uploaded_by,
                            uploaded_at = now() where instrument_version.status = 'DRAFT'""")
                .setParameter(1, definition.id()).setParameter(2, definition.version()).setParameter(3, write(definition))
                .setParameter(4, by).executeUpdate();
        if (stored == 0) {
            throw Problem.conflict("version-published", definition.id() + " " + definition.version()
                    + " is published and never changes: upload it as a new version");
        }
        return versions(definition.id()).stream().filter(v -> v.version().equals(definition.version())).findFirst().orElseThrow();
    }

    @Transactional
    public VersionView publish(String id, String version, String by) {
        int done = em.createNativeQuery("""
                        update instrument_version set status = 'PUBLISHED', published_by = ?3, published_at = now()
                        where instrument_id = ?1 and version = ?2 and status = 'DRAFT'""")
                .setParameter(1, id).setParameter(2, version).setParameter(3, by).executeUpdate();
        if (done == 0) {
            if (anyVersion(id, version).isEmpty()) {
                throw Problem.notFound("no such instrument version");
            }
            throw Problem.conflict("version-published", id + " " + version + " is already published");
        }
        return versions(id).stream().filter(v -> v.version().equals(version)).findFirst().orElseThrow();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<VersionView> versions(String id) {
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("""
                        select instrument_id, version, status, definition, uploaded_by, uploaded_at, published_by, published_at
                        from instrument_version where instrument_id = ?1 order by uploaded_at desc, version desc""", Tuple.class)
                .setParameter(1, id).getResultList();
        return rows.stream().map(r -> {
            Instrument i = parse((String) r.get("definition"));
            return new VersionView(i.id(), i.version(), (String) r.get("status"), i.title(), i.items().size(), (String) r.get("uploaded_by"),
                    SqlValues.time(r.get("uploaded_at")), (String) r.get("published_by"), SqlValues.time(r.get("published_at")));
        }).toList();
    }

    private Optional<Instrument> read(String id, String version, boolean publishedOnly) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("select definition from instrument_version where instrument_id = ?1 and version = ?2"
                        + (publishedOnly ? " and status = 'PUBLISHED'" : ""))
                .setParameter(1, id).setParameter(2, version).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(parse(rows.get(0)));
    }

    static Instrument parse(String json) {
        try {
            return BuiltInInstruments.JSON.readValue(json, Instrument.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored instrument definition no longer reads", e);
        }
    }

    private static String write(Instrument i) {
        try {
            return BuiltInInstruments.JSON.writeValueAsString(i);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
