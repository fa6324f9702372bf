package cn.xinqiao.screening.riskqueue;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.screening.casework.CaseSteps;
import cn.xinqiao.screening.casework.CaseworkEvents;
import cn.xinqiao.screening.casework.FollowUps;
import cn.xinqiao.screening.greenchannel.ReferralRequests;
import cn.xinqiao.screening.roster.Student;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The counsellor's work list and what the hospital has done with each referral. */
@ApplicationScoped
@Transactional
public class RiskQueueService {

    public record Note(String kind, String note, String author, OffsetDateTime at) {
    }

    public record CaseView(UUID id, UUID campaignId, String studentNumber, String studentName, int grade, String className,
                           String riskLevel, CaseStatus status, List<RiskCase.Reason> reasons, String referralStatus,
                           String referralBusinessStatus, String referralHospital, OffsetDateTime referralUpdatedAt,
                           boolean guardianInformed, List<Note> notes, OffsetDateTime createdAt, long otherCampaigns) {
    }

    /** What referral.status.v1 tells the school (its own class; the contract is in contracts/). */
    public record StatusUpdate(UUID referralId, List<UUID> requestIds, String hospitalId, String status, String businessStatus,
                               OffsetDateTime occurredAt, List<FollowUps.Planned> followUpPlan) {
    }

    @Inject
    ReferralRequests referrals;

    @Inject
    AuditTrail audit;

    @Inject
    CaseSteps steps;

    @Inject
    FollowUps followUps;

    @Inject
    CaseworkEvents casework;

    /**
     * The school's queue, one row per student: the student's highest case (then the newest), with how many other
     * campaigns they had a case in (their care record has them all).
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<CaseView> list(String schoolId, String status) {
        List<RiskCase> cases = status == null
                ? RiskCase.list("schoolId = ?1 and status <> ?2 order by riskRank desc, createdAt desc", schoolId, CaseStatus.CLOSED)
                : RiskCase.list("schoolId = ?1 and status = ?2 order by riskRank desc, createdAt desc", schoolId, CaseStatus.valueOf(status));
        Map<UUID, RiskCase> perStudent = new LinkedHashMap<>();
        cases.forEach(rc -> perStudent.putIfAbsent(rc.studentId, rc));
        Map<UUID, Long> casesPerStudent = new HashMap<>();
        if (!perStudent.isEmpty()) {
            RiskCase.getEntityManager().createQuery("select c.studentId, count(c) from RiskCase c where c.studentId in ?1 group by c.studentId",
                    Object[].class).setParameter(1, perStudent.keySet()).getResultList()
                    .forEach(row -> casesPerStudent.put((UUID) row[0], (Long) row[1]));
        }
        return perStudent.values().stream().map(rc -> view(rc, casesPerStudent.getOrDefault(rc.studentId, 1L) - 1)).toList();
    }

    public CaseView note(RiskCase rc, String kind, String text, String author) {
        if ("CLOSE".equals(kind) && steps.openCritical(rc.id)) {
            throw Problem.conflict("open-critical-step", "a case closes once every critical step of its procedure is done or documented as an exception");
        }
        RiskCaseNote entry = new RiskCaseNote();
        entry.id = UUID.randomUUID();
        entry.caseId = rc.id;
        entry.author = author;
        entry.kind = kind;
        entry.note = text;
        entry.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        entry.persist();
        if ("CLOSE".equals(kind)) {
            rc.status = CaseStatus.CLOSED;
            casework.closed(rc, entry.createdAt);
        } else if (rc.status == CaseStatus.OPEN) {
            rc.status = CaseStatus.FOLLOWING_UP;
        }
        rc.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
        audit.record(AuditTrail.Action.UPDATE, "risk-case", rc.id.toString(), rc.schoolId, kind.toLowerCase());
        return view(rc);
    }

    public CaseView referManually(RiskCase rc, String level, String reason, String author) {
        // Open from the moment it is requested: before the hospital's first status, too.
        boolean open = rc.referralRequestId != null
                && (rc.referralStatus == null || !List.of("completed", "cancelled", "rejected", "failed").contains(rc.referralStatus));
        if (open) {
            throw Problem.conflict("referral-open", "this student already has an open referral");
        }
        Student student = Student.findById(rc.studentId);
        rc.referralRequestId = referrals.raise("COUNSELOR", rc.id, ReferralRequests.Subject.of(student), rc.campaignId, level,
                List.of(new RiskCase.Reason("COUNSELOR:assessment", null, null, null, null)));
        rc.status = CaseStatus.REFERRED;
        rc.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
        note(rc, "FOLLOW_UP", "转介 / referral: " + reason, author);
        return view(rc);
    }

    /** Applies a referral status event to the case that requested it; older events than the last applied are ignored. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyStatus(StatusUpdate update) {
        List<UUID> ids = update.requestIds() == null ? List.of() : update.requestIds();
        List<RiskCase> cases = RiskCase.list("referralId = ?1 or referralRequestId in ?2", update.referralId(),
                ids.isEmpty() ? List.of(new UUID(0, 0)) : ids);
        for (RiskCase rc : cases) {
            if (rc.referralUpdatedAt != null && rc.referralUpdatedAt.isAfter(update.occurredAt())) {
                continue;
            }
            rc.referralId = update.referralId();
            rc.referralStatus = update.status();
            rc.referralBusinessStatus = update.businessStatus();
            rc.referralHospital = update.hospitalId();
            rc.referralUpdatedAt = update.occurredAt();
            rc.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
            if ("completed".equals(update.status()) && !update.followUpPlan().isEmpty()) {
                followUps.plan(rc, update.referralId(), update.occurredAt(), update.followUpPlan(), rc.updatedAt);
            }
        }
    }

    public CaseView view(RiskCase rc) {
        return view(rc, RiskCase.count("studentId = ?1 and id <> ?2", rc.studentId, rc.id));
    }

    private CaseView view(RiskCase rc, long otherCampaigns) {
        Student s = Student.findById(rc.studentId);
        List<Note> notes = RiskCaseNote.<RiskCaseNote>list("caseId = ?1 order by createdAt", rc.id).stream()
                .map(n -> new Note(n.kind, n.note, n.author, n.createdAt)).toList();
        boolean informed = notes.stream().anyMatch(n -> n.kind().equals("GUARDIAN_INFORMED") || n.kind().equals("GUARDIAN_EXCEPTION"));
        return new CaseView(rc.id, rc.campaignId, s.studentNumber, s.name, s.grade, s.className, rc.riskLevel, rc.status,
                rc.reasons, rc.referralStatus, rc.referralBusinessStatus, rc.referralHospital, rc.referralUpdatedAt, informed,
                notes, rc.createdAt, otherCampaigns);
    }
}
