package cn.xinqiao.screening.casework;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.screening.domain.RiskLevel;
import cn.xinqiao.screening.greenchannel.ReferralRequests;
import cn.xinqiao.screening.riskqueue.CaseStatus;
import cn.xinqiao.screening.riskqueue.RiskCase;
import cn.xinqiao.screening.roster.Student;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Follow-ups (回访): the hospital's follow-up plan dated on the student's case when the hospital returns them, and
 * what each follow-up found. "Worse" or "re-refer" sends the student to the hospital again through the green channel.
 */
@ApplicationScoped
@Transactional
public class FollowUps {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    /** One follow-up of the plan: days after the return, by the school or the hospital. */
    public record Planned(int afterDays, String by) {
    }

    /** A follow-up as the school's list shows it (the student by number and name: the school's own data). */
    public record View(UUID id, UUID caseId, String studentNumber, String studentName, String riskLevel, int afterDays, String by,
                       LocalDate dueOn, boolean overdue, String outcome, String note, OffsetDateTime doneAt, String doneBy,
                       OffsetDateTime schoolAdminAlertedAt, OffsetDateTime bureauAlertedAt) {
    }

    @Inject
    EntityManager em;

    @Inject
    ReferralRequests referrals;

    @Inject
    AuditTrail audit;

    @Inject
    CaseworkEvents events;

    /** Dates the plan on the case, from the day the hospital returned the student; a plan applied again adds nothing. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void plan(RiskCase rc, UUID referralId, OffsetDateTime returnedAt, List<Planned> plan, OffsetDateTime now) {
        LocalDate returned = returnedAt.atZoneSameInstant(CHINA).toLocalDate();
        List<CaseworkEvents.FollowUpItem> added = new ArrayList<>();
        for (Planned p : plan) {
            UUID id = UUID.randomUUID();
            LocalDate due = returned.plusDays(p.afterDays());
            int inserted = em.createNativeQuery("""
                            insert into follow_up (id, case_id, school_id, referral_id, after_days, by_whom, due_on, created_at)
                            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) on conflict (case_id, referral_id, after_days, by_whom) do nothing""")
                    .setParameter(1, id).setParameter(2, rc.id).setParameter(3, rc.schoolId).setParameter(4, referralId)
                    .setParameter(5, p.afterDays()).setParameter(6, p.by()).setParameter(7, due)
                    .setParameter(8, now).executeUpdate();
            if (inserted == 1) {
                added.add(new CaseworkEvents.FollowUpItem(id, due, p.by(), null, null));
            }
        }
        if (!added.isEmpty()) {
            events.followUpsPlanned(rc, added, now);
        }
    }

    /** The school's follow-ups: {@code overdue} (open, due before today), {@code week} (open, due within 7 days, overdue too), {@code all}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<View> of(String schoolId, String due, OffsetDateTime now) {
        LocalDate today = now.atZoneSameInstant(CHINA).toLocalDate();
        List<FollowUp> list = switch (due) {
            case "overdue" -> FollowUp.list("schoolId = ?1 and outcome is null and dueOn < ?2 order by dueOn", schoolId, today);
            case "week" -> FollowUp.list("schoolId = ?1 and outcome is null and dueOn <= ?2 order by dueOn", schoolId, today.plusDays(7));
            default -> FollowUp.list("schoolId = ?1 order by dueOn desc", schoolId);
        };
        audit.record(AuditTrail.Action.READ, "follow-ups", schoolId, schoolId, "follow-ups " + due);
        return list.stream().map(f -> view(f, today)).toList();
    }

    /** What a follow-up found. WORSE and RE_REFER send the student to the partner hospital again. */
    public View outcome(FollowUp f, String outcome, String note, String by, OffsetDateTime now) {
        if (f.outcome != null) {
            throw Problem.conflict("follow-up-recorded", "this follow-up is already recorded");
        }
        f.outcome = outcome;
        f.note = note == null || note.isBlank() ? null : note.strip();
        f.doneAt = now;
        f.doneBy = by;
        if ("WORSE".equals(outcome) || "RE_REFER".equals(outcome)) {
            RiskCase rc = RiskCase.findById(f.caseId);
            RiskLevel level = RiskLevel.highest(RiskLevel.HIGH, RiskLevel.valueOf(rc.riskLevel));
            rc.referralRequestId = referrals.raise("COUNSELOR", f.id, ReferralRequests.Subject.of(Student.findById(rc.studentId)),
                    rc.campaignId, level.name(), List.of(new RiskCase.Reason("FOLLOW_UP:" + outcome, null, null, null, null)));
            rc.status = CaseStatus.REFERRED;
            rc.referralStatus = null; // the new request's status arrives from referral-service
            rc.updatedAt = now;
        }
        events.followUpRecorded(RiskCase.findById(f.caseId), f, now);
        audit.record(AuditTrail.Action.UPDATE, "follow-up", f.id.toString(), f.schoolId, outcome.toLowerCase());
        return view(f, now.atZoneSameInstant(CHINA).toLocalDate());
    }

    private static View view(FollowUp f, LocalDate today) {
        RiskCase rc = RiskCase.findById(f.caseId);
        Student s = Student.findById(rc.studentId);
        return new View(f.id, f.caseId, s.studentNumber, s.name, rc.riskLevel, f.afterDays, f.byWhom, f.dueOn,
                f.outcome == null && f.dueOn.isBefore(today), f.outcome, f.note, f.doneAt, f.doneBy, f.schoolAdminAlertedAt, f.bureauAlertedAt);
    }
}
