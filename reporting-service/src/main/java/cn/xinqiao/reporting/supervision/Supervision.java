package cn.xinqiao.reporting.supervision;

import cn.xinqiao.platform.db.SqlValues;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.problem.ProblemDetails;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Districts;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.reporting.domain.Rectification;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Supervision and rectification: the bureau records an inspection of a school with its findings, each a rectification
 * item with a deadline; the school answers with what it did; the bureau closes the item or reopens it. The school sees
 * its own inspections; the bureau those of its area.
 */
@ApplicationScoped
public class Supervision {

    public record NewFinding(String code, String text, LocalDate dueOn) {
    }

    public record NewInspection(String schoolId, LocalDate inspectedOn, List<String> inspectors, String summary, List<NewFinding> findings) {
    }

    public record Step(OffsetDateTime at, String actor, String action, String text, LocalDate dueOn) {
    }

    public record Item(UUID id, String code, String codeZh, String finding, LocalDate dueOn, String status, boolean overdue, List<Step> steps) {
    }

    public record InspectionView(UUID id, String schoolId, String schoolName, LocalDate inspectedOn, String inspectors, String summary,
                                 List<Item> items) {
    }

    public record Decision(String decision, String note, LocalDate dueOn) {
    }

    @Inject
    EntityManager em;

    @Inject
    Caller caller;

    @Transactional
    public InspectionView record(NewInspection in, LocalDate today) {
        List<ProblemDetails.FieldError> errors = new ArrayList<>();
        if (in.schoolId() == null || !in.schoolId().matches("S[0-9]{9}")) {
            errors.add(new ProblemDetails.FieldError("schoolId", "must be a school id (S + 9 digits)"));
        }
        if (in.inspectedOn() == null || in.inspectedOn().isAfter(today) || in.inspectedOn().isBefore(today.minusYears(2))) {
            errors.add(new ProblemDetails.FieldError("inspectedOn", "is the day of the visit: in the last two years, not in the future"));
        }
        if (in.inspectors() == null || in.inspectors().isEmpty() || in.inspectors().size() > 10
                || in.inspectors().stream().anyMatch(n -> n == null || n.isBlank() || n.length() > 30)) {
            errors.add(new ProblemDetails.FieldError("inspectors", "name 1–10 inspectors, each at most 30 characters"));
        }
        if (in.summary() != null && in.summary().length() > 2000) {
            errors.add(new ProblemDetails.FieldError("summary", "is at most 2000 characters"));
        }
        if (in.findings() == null || in.findings().size() > 50) {
            errors.add(new ProblemDetails.FieldError("findings", "list at most 50 findings (none when all was in order)"));
        } else {
            for (int i = 0; i < in.findings().size(); i++) {
                NewFinding f = in.findings().get(i);
                String at = "findings[" + i + "]";
                if (f == null || f.code() == null || !Rectification.Finding.ids().contains(f.code())) {
                    errors.add(new ProblemDetails.FieldError(at + ".code", "must be one of " + Rectification.Finding.ids()));
                }
                if (f == null || f.text() == null || f.text().isBlank() || f.text().length() > 1000) {
                    errors.add(new ProblemDetails.FieldError(at + ".text", "describes the finding, at most 1000 characters"));
                }
                if (f == null || f.dueOn() == null || in.inspectedOn() != null && f.dueOn().isBefore(in.inspectedOn())
                        || f != null && f.dueOn() != null && f.dueOn().isAfter(today.plusYears(1))) {
                    errors.add(new ProblemDetails.FieldError(at + ".dueOn", "is the deadline: not before the visit, within a year"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw Problem.invalid("the inspection cannot be recorded", errors);
        }
        String county = Districts.countyOfSchool(in.schoolId());
        if (!bureauOf(county)) {
            throw Problem.forbidden("this school is outside your jurisdiction");
        }
        UUID id = UUID.randomUUID();
        em.createNativeQuery("""
                        insert into inspection (id, school_id, district_code, inspected_on, inspectors, summary, recorded_by)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                .setParameter(1, id).setParameter(2, in.schoolId()).setParameter(3, county).setParameter(4, in.inspectedOn())
                .setParameter(5, String.join("、", in.inspectors().stream().map(String::strip).toList()))
                .setParameter(6, in.summary() == null ? null : in.summary().strip()).setParameter(7, caller.subject()).executeUpdate();
        for (NewFinding f : in.findings()) {
            UUID item = UUID.randomUUID();
            em.createNativeQuery("""
                            insert into rectification_item (id, inspection_id, school_id, district_code, code, finding, due_on, status)
                            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'OPEN')""")
                    .setParameter(1, item).setParameter(2, id).setParameter(3, in.schoolId()).setParameter(4, county)
                    .setParameter(5, f.code()).setParameter(6, f.text().strip()).setParameter(7, f.dueOn()).executeUpdate();
            step(item, "RAISED", f.text().strip(), f.dueOn());
        }
        return list(in.schoolId(), null, today).stream().filter(v -> v.id().equals(id)).findFirst().orElseThrow();
    }

    /** Inspections of a school (its staff, or the bureau of its area), or of every school under a district (the bureau). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<InspectionView> list(String schoolId, String districtCode, LocalDate today) {
        if (schoolId != null && !schoolId.matches("S[0-9]{9}")) {
            throw Problem.badRequest("bad-school", "schoolId must be S + 9 digits");
        }
        if (districtCode != null && !districtCode.matches("[1-8][0-9]{5}")) {
            throw Problem.badRequest("bad-district", "districtCode must be 6 digits");
        }
        String filter;
        String param;
        if (schoolId != null) {
            if (!caller.actsForSchool(schoolId) && !bureauOf(Districts.countyOfSchool(schoolId))) {
                throw Problem.forbidden("this school is outside your jurisdiction");
            }
            filter = "i.school_id = ?1";
            param = schoolId;
        } else {
            String area = districtCode != null ? districtCode : caller.districtCode()
                    .orElseThrow(() -> Problem.badRequest("scope-required", "give schoolId or districtCode"));
            if (!bureauOf(area)) {
                throw Problem.forbidden("this area is outside your jurisdiction");
            }
            filter = "i.district_code like ?1";
            param = Districts.significantPrefix(area) + "%";
        }
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("""
                        select i.*, coalesce(d.name, i.school_id) school_name from inspection i left join school_dim d on d.school_id = i.school_id
                        where %s order by i.inspected_on desc, i.recorded_at desc limit 500""".formatted(filter), Tuple.class)
                .setParameter(1, param).getResultList();
        Map<UUID, List<Item>> items = items(rows.stream().map(r -> (UUID) r.get("id")).toList(), today);
        return rows.stream().map(r -> new InspectionView((UUID) r.get("id"), (String) r.get("school_id"), (String) r.get("school_name"),
                SqlValues.date(r.get("inspected_on")), (String) r.get("inspectors"), (String) r.get("summary"),
                items.getOrDefault((UUID) r.get("id"), List.of()))).toList();
    }

    /** The school answers an open item with what it did. */
    @Transactional
    public Item answer(UUID itemId, String text, LocalDate today) {
        Tuple item = item(itemId);
        if (!caller.actsForSchool((String) item.get("school_id"))) {
            throw Problem.notFound("no such rectification item");
        }
        if (text == null || text.isBlank() || text.length() > 2000) {
            throw Problem.invalid("the answer cannot be recorded", List.of(new ProblemDetails.FieldError("text", "says what was done, at most 2000 characters")));
        }
        move(item, Rectification.Action.ANSWER, text.strip(), null);
        return one(itemId, today);
    }

    /** The bureau closes an answered item, or reopens it with a note and (optionally) a new deadline. */
    @Transactional
    public Item decide(UUID itemId, Decision d, LocalDate today) {
        Tuple item = item(itemId);
        if (!bureauOf((String) item.get("district_code"))) {
            throw Problem.notFound("no such rectification item");
        }
        Rectification.Action action = d == null || d.decision() == null ? null : switch (d.decision()) {
            case "CLOSE" -> Rectification.Action.CLOSE;
            case "REOPEN" -> Rectification.Action.REOPEN;
            default -> null;
        };
        List<ProblemDetails.FieldError> errors = new ArrayList<>();
        if (action == null) {
            errors.add(new ProblemDetails.FieldError("decision", "must be CLOSE or REOPEN"));
        }
        if (d != null && d.note() != null && d.note().length() > 2000) {
            errors.add(new ProblemDetails.FieldError("note", "is at most 2000 characters"));
        }
        if (action == Rectification.Action.REOPEN && (d.note() == null || d.note().isBlank())) {
            errors.add(new ProblemDetails.FieldError("note", "says what is still to be done"));
        }
        if (d != null && d.dueOn() != null && (d.dueOn().isBefore(today) || d.dueOn().isAfter(today.plusYears(1)))) {
            errors.add(new ProblemDetails.FieldError("dueOn", "a new deadline is from today, within a year"));
        }
        if (!errors.isEmpty()) {
            throw Problem.invalid("the decision cannot be recorded", errors);
        }
        move(item, action, d.note() == null ? null : d.note().strip(), action == Rectification.Action.REOPEN ? d.dueOn() : null);
        return one(itemId, today);
    }

    private void move(Tuple item, Rectification.Action action, String text, LocalDate newDue) {
        Rectification.Status current = Rectification.Status.valueOf((String) item.get("status"));
        Rectification.Status next = Rectification.next(current, action);
        if (next == null) {
            throw Problem.conflict("rectification-state", "an item that is " + current + " cannot be " + action.name().toLowerCase() + "ed");
        }
        UUID id = (UUID) item.get("id");
        em.createNativeQuery("update rectification_item set status = ?2, due_on = coalesce(?3, due_on), updated_at = now() where id = ?1")
                .setParameter(1, id).setParameter(2, next.name()).setParameter(3, newDue).executeUpdate();
        step(id, switch (action) {
            case ANSWER -> "ANSWERED";
            case CLOSE -> "CLOSED";
            case REOPEN -> "REOPENED";
        }, text, newDue);
    }

    private void step(UUID item, String action, String text, LocalDate due) {
        em.createNativeQuery("insert into rectification_step (item_id, actor, action, text, due_on) values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, item).setParameter(2, caller.subject()).setParameter(3, action).setParameter(4, text)
                .setParameter(5, due).executeUpdate();
    }

    private Tuple item(UUID id) {
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("select * from rectification_item where id = ?1 for update", Tuple.class)
                .setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            throw Problem.notFound("no such rectification item");
        }
        return rows.get(0);
    }

    private Item one(UUID id, LocalDate today) {
        UUID inspection = (UUID) em.createNativeQuery("select inspection_id from rectification_item where id = ?1").setParameter(1, id).getSingleResult();
        return items(List.of(inspection), today).get(inspection).stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    private Map<UUID, List<Item>> items(List<UUID> inspections, LocalDate today) {
        Map<UUID, List<Item>> out = new LinkedHashMap<>();
        if (inspections.isEmpty()) {
            return out;
        }
        @SuppressWarnings("unchecked")
        List<Tuple> steps = em.createNativeQuery("""
                        select s.* from rectification_step s join rectification_item r on r.id = s.item_id
                        where r.inspection_id = any (?1) order by s.at""", Tuple.class)
                .setParameter(1, inspections.toArray(UUID[]::new)).getResultList();
        Map<UUID, List<Step>> byItem = new LinkedHashMap<>();
        for (Tuple s : steps) {
            byItem.computeIfAbsent((UUID) s.get("item_id"), k -> new ArrayList<>()).add(new Step(SqlValues.time(s.get("at")),
                    (String) s.get("actor"), (String) s.get("action"), (String) s.get("text"), SqlValues.date(s.get("due_on"))));
        }
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("select * from rectification_item where inspection_id = any (?1) order by code, id", Tuple.class)
                .setParameter(1, inspections.toArray(UUID[]::new)).getResultList();
        for (Tuple r : rows) {
            Rectification.Status status = Rectification.Status.valueOf((String) r.get("status"));
            LocalDate due = SqlValues.date(r.get("due_on"));
            String code = (String) r.get("code");
            out.computeIfAbsent((UUID) r.get("inspection_id"), k -> new ArrayList<>()).add(new Item((UUID) r.get("id"), code,
                    Rectification.Finding.valueOf(code).zh, (String) r.get("finding"), due, status.name(),
                    Rectification.overdue(status, due, today), byItem.getOrDefault((UUID) r.get("id"), List.of())));
        }
        return out;
    }

    private boolean bureauOf(String district) {
        return caller.hasAnyRole(Role.BUREAU_ANALYST) && caller.coversDistrict(district);
    }

}
