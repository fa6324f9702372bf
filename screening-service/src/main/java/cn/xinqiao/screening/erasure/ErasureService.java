package cn.xinqiao.screening.erasure;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.outbox.Outbox;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Districts;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.screening.roster.Student;
import cn.xinqiao.screening.school.DirectoryService;
import cn.xinqiao.screening.school.School;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The erasure of one student: asked by the school's admin with a reason, decided by the bureau of the school's
 * county. Approval erases here at once and announces it on {@code screening.erasures.v1}, from which referral,
 * hotline and reporting erase theirs; a student whose open case or referral still needs the data for their safety
 * (vital interest) is not erased until it has closed.
 */
@ApplicationScoped
@Transactional
public class ErasureService {

    public static final String TOPIC = "screening.erasures.v1";
    public static final String TYPE = "cn.xinqiao.screening.erasure.v1";

    /** What the other services read: the student's key (all they know the student by), never a name. */
    public record ErasureEvent(UUID erasureId, String studentKey, String schoolId, String districtCode, OffsetDateTime requestedAt,
                               OffsetDateTime erasedAt) {
    }

    /** A request as its reader may see it: the school sees the student number while it is pending; the bureau never. */
    public record RequestView(UUID id, String schoolId, String studentNumber, String reason, String requestedBy, OffsetDateTime requestedAt,
                              String status, String decidedBy, OffsetDateTime decidedAt, String decisionNote, Map<String, Integer> erased) {
    }

    @Inject
    EntityManager em;

    @Inject
    Caller caller;

    @Inject
    AuditTrail audit;

    @Inject
    Outbox outbox;

    @Inject
    StudentErasure erasure;

    @Inject
    DirectoryService directory;

    @Inject
    ObjectMapper json;

    public RequestView request(School school, String studentNumber, String reason) {
        Student s = Student.bySchoolNumber(school.id, studentNumber).orElseThrow(() -> Problem.notFound("student"));
        Number pending = (Number) em.createNativeQuery("select count(*) from erasure_request where student_id = ?1 and status = 'REQUESTED'")
                .setParameter(1, s.id).getSingleResult();
        if (pending.intValue() > 0) {
            throw Problem.conflict("erasure-pending", "an erasure of this student is already waiting for the bureau / 该学生的删除申请正在等待审批");
        }
        UUID id = UUID.randomUUID();
        em.createNativeQuery("""
                        insert into erasure_request (id, school_id, student_id, student_key, reason, requested_by, requested_at, status)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'REQUESTED')""")
                .setParameter(1, id).setParameter(2, school.id).setParameter(3, s.id).setParameter(4, s.studentKey).setParameter(5, reason)
                .setParameter(6, caller.subject()).setParameter(7, OffsetDateTime.now(ZoneOffset.UTC)).executeUpdate();
        audit.record(AuditTrail.Action.CREATE, "erasure-request", id.toString(), school.id, "erasure of one student requested");
        return one(id);
    }

    /** The bureau of the school's county approves (the student is erased now) or rejects, with a note. */
    public RequestView decide(UUID id, boolean approve, String note) {
        List<Tuple> rows = em.createNativeQuery("""
                        select school_id, student_id, student_key, status, requested_at from erasure_request where id = ?1 for update""", Tuple.class)
                .setParameter(1, id).getResultList();
        if (rows.isEmpty() || !caller.hasRole(Role.BUREAU_ANALYST) || !caller.coversDistrict(Districts.countyOfSchool((String) rows.get(0).get(0)))) {
            throw Problem.notFound("erasure request");
        }
        Tuple r = rows.get(0);
        if (!"REQUESTED".equals(r.get(3))) {
            throw Problem.conflict("erasure-decided", "this request has been decided / 此申请已处理");
        }
        String schoolId = (String) r.get(0);
        UUID studentId = (UUID) r.get(1);
        String studentKey = (String) r.get(2);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (!approve) {
            em.createNativeQuery("update erasure_request set status = 'REJECTED', decided_by = ?2, decided_at = ?3, decision_note = ?4 where id = ?1")
                    .setParameter(1, id).setParameter(2, caller.subject()).setParameter(3, now).setParameter(4, note).executeUpdate();
            audit.record(AuditTrail.Action.TRANSITION, "erasure-request", id.toString(), schoolId, "erasure rejected");
            return one(id);
        }
        String keep = studentId == null ? null : erasure.safetyReason(studentId, schoolId);
        if (keep != null) {
            throw Problem.conflict("vital-interest", "the student's data is still needed for their safety: " + keep
                    + "; approve once the case and the referral have closed");
        }
        Map<String, Integer> erased = studentId == null ? Map.of() : erasure.erase(studentId, studentKey);
        try {
            em.createNativeQuery("""
                            update erasure_request set status = 'DONE', decided_by = ?2, decided_at = ?3, decision_note = ?4,
                                   erased = cast(?5 as jsonb), student_id = null where id = ?1""")
                    .setParameter(1, id).setParameter(2, caller.subject()).setParameter(3, now).setParameter(4, note)
                    .setParameter(5, json.writeValueAsString(erased)).executeUpdate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        outbox.publish(TOPIC, studentKey, TYPE, id.toString(), new ErasureEvent(id, studentKey, schoolId, Districts.countyOfSchool(schoolId),
                r.get(4) instanceof java.time.Instant i ? i.atOffset(ZoneOffset.UTC) : (OffsetDateTime) r.get(4), now));
        audit.record(AuditTrail.Action.TRANSITION, "erasure-request", id.toString(), schoolId, "student erased: " + erased);
        School school = School.findById(schoolId);
        if (school != null) {
            directory.announce(school);
        }
        return one(id);
    }

    /** The requests the caller may see: their school's (admin), their area's (bureau, no student number), all (auditor). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<RequestView> visible(String status) {
        List<Tuple> rows = em.createNativeQuery("""
                        select e.id from erasure_request e where (cast(?1 as varchar) is null or e.status = ?1)
                        order by e.requested_at desc limit 500""", Tuple.class).setParameter(1, status).getResultList();
        return rows.stream().map(t -> one((UUID) t.get(0))).filter(v -> v != null).toList();
    }

    RequestView one(UUID id) {
        List<Tuple> rows = em.createNativeQuery("""
                        select e.id, e.school_id, s.student_number, e.reason, e.requested_by, e.requested_at, e.status, e.decided_by,
                               e.decided_at, e.decision_note, cast(e.erased as text)
                        from erasure_request e left join student s on s.id = e.student_id where e.id = ?1""", Tuple.class)
                .setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Tuple t = rows.get(0);
        String school = (String) t.get(1);
        boolean ownSchool = caller.hasRole(Role.SCHOOL_ADMIN) && caller.actsForSchool(school);
        boolean area = (caller.hasRole(Role.BUREAU_ANALYST) && caller.coversDistrict(Districts.countyOfSchool(school))) || caller.hasRole(Role.AUDITOR);
        if (!ownSchool && !area) {
            return null;
        }
        Map<String, Integer> erased = null;
        try {
            erased = t.get(10) == null ? null : json.readValue((String) t.get(10), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Integer>>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new RequestView((UUID) t.get(0), school, ownSchool ? (String) t.get(2) : null, (String) t.get(3), (String) t.get(4),
                time(t.get(5)), (String) t.get(6), (String) t.get(7), time(t.get(8)), (String) t.get(9), erased);
    }

    private static OffsetDateTime time(Object v) {
        return v == null ? null : v instanceof java.time.Instant i ? i.atOffset(ZoneOffset.UTC) : (OffsetDateTime) v;
    }
}
