package cn.xinqiao.screening.roster;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.pseudonym.Pseudonyms;
import cn.xinqiao.screening.school.DirectoryService;
import cn.xinqiao.screening.school.School;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A student who changes school keeps one record (心理档案): the student moves with everything the school side holds
 * about them (cases, procedure steps, sessions, follow-ups), under the new school's number and pseudonymous key.
 * The new school sees the record from then on, the old one no longer does; screenings stay counted where they took
 * place, and the old school's access codes for campaigns the new school is not in stop working. Every move is kept
 * ({@code student_transfer}) and audited at both schools.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Transfers {

    public enum Via { ROSTER_IMPORT, BUREAU }

    @Inject
    EntityManager em;

    @Inject
    Pseudonyms pseudonyms;

    @Inject
    AuditTrail audit;

    @Inject
    DirectoryService directory;

    /** The student with this national student registration number at another school than {@code schoolId}, if any. */
    public Optional<Student> elsewhere(String nationalId, String schoolId) {
        return Student.<Student>find("nationalKey = ?1 and schoolId <> ?2", pseudonyms.nationalKey(nationalId), schoolId).firstResultOptional();
    }

    /**
     * Moves the student to {@code toSchool} as {@code toNumber}; refused (409) when the new school already has a different
     * student under that number.
     */
    public Student move(Student s, String toSchool, String toNumber, Via via, String actor, String actorRoles, OffsetDateTime now) {
        String number = toNumber.trim().toUpperCase(Locale.ROOT);
        if (s.schoolId.equals(toSchool)) {
            throw Problem.conflict("same-school", "the student is already at that school");
        }
        if (Student.bySchoolNumber(toSchool, number).isPresent()) {
            throw Problem.conflict("student-number-taken", "the new school already has a student with that number");
        }
        School to = School.<School>findByIdOptional(toSchool).orElseThrow(() -> Problem.notFound("school"));
        String from = s.schoolId;
        String fromNumber = s.studentNumber;
        s.schoolId = to.id;
        s.studentNumber = number;
        s.studentKey = pseudonyms.studentKey(to.id, number);
        s.persist();
        em.flush();
        for (String table : new String[]{"risk_case", "counselling_session", "follow_up"}) {
            String student = table.equals("risk_case") ? "student_id = ?2" : "case_id in (select id from risk_case where student_id = ?2)";
            em.createNativeQuery("update " + table + " set school_id = ?1 where " + student).setParameter(1, to.id).setParameter(2, s.id)
                    .executeUpdate();
        }
        em.createNativeQuery("""
                        delete from access_code where student_id = ?1
                          and campaign_id not in (select campaign_id from campaign_school where school_id = ?2)""")
                .setParameter(1, s.id).setParameter(2, to.id).executeUpdate();
        em.createNativeQuery("""
                        insert into student_transfer (id, student_id, from_school_id, from_number, to_school_id, to_number, via, moved_by, moved_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)""")
                .setParameter(1, UUID.randomUUID()).setParameter(2, s.id).setParameter(3, from).setParameter(4, fromNumber)
                .setParameter(5, to.id).setParameter(6, number).setParameter(7, via.name()).setParameter(8, actor).setParameter(9, now)
                .executeUpdate();
        audit.recordAs(actor, actorRoles, AuditTrail.Action.UPDATE, "student", s.id.toString(), from, "transferred out (" + via.name().toLowerCase(Locale.ROOT) + ")");
        audit.recordAs(actor, actorRoles, AuditTrail.Action.UPDATE, "student", s.id.toString(), to.id, "transferred in (" + via.name().toLowerCase(Locale.ROOT) + ")");
        School.<School>findByIdOptional(from).ifPresent(directory::announce); // both schools' enrolment changed
        directory.announce(to);
        return s;
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
