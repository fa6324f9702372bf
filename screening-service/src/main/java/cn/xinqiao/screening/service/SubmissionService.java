package cn.xinqiao.screening.service;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.outbox.Outbox;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.problem.ProblemDetails;
import cn.xinqiao.screening.config.RiskPolicyConfig;
import cn.xinqiao.screening.domain.Instrument;
import cn.xinqiao.screening.domain.RiskAssessment;
import cn.xinqiao.screening.domain.RiskLevel;
import cn.xinqiao.screening.domain.RiskPolicy;
import cn.xinqiao.screening.domain.Score;
import cn.xinqiao.screening.domain.Scorer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Accepts a questionnaire (online from a student session, or paper entered by a counsellor), scores it with the
 * instrument's versioned rules and the deployment's risk policy, and in the same transaction writes the
 * de-identified result and, for HIGH/CRITICAL, the referral request to the outbox.
 *
 * <p>Online and paper for the same student + campaign + instrument never count twice: the second is kept as a
 * CONFLICT for the counsellor to review. A conflicting submission still raises risk: a critical answer is
 * never ignored because it arrived second.
 */
@ApplicationScoped
@Transactional
public class SubmissionService {

    public static final String RESULTS_TOPIC = "screening.results.v1";
    public static final String RESULT_TYPE = "cn.xinqiao.screening.result.v1";
    /** Paper forms may be keyed in for two weeks after a campaign closes. */
    static final Duration PAPER_GRACE = Duration.ofDays(14);

    public record Answers(UUID campaignId, String instrumentId, int[] answers, String clientSubmissionId) {
    }

    public record Outcome(Submission submission, boolean replay) {
    }

    /** screening.results.v1; {@code supersedes}: the result this one replaces after a counsellor's conflict review. */
    public record Result(UUID resultId, UUID campaignId, String studentKey, String schoolId, String districtCode, int grade,
                         String sex, String instrumentId, String instrumentVersion, String mode, int totalScore, String band,
                         boolean criticalItem, String riskLevel, String rule, String policyVersion, OffsetDateTime submittedAt,
                         @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                         UUID supersedes) {
    }

    /** One side of a conflict, as the counsellor compares them. */
    public record Side(UUID submissionId, String mode, OffsetDateTime submittedAt, String enteredBy, int totalScore, String band,
                       String riskLevel, List<Integer> answers) {
        static Side of(Submission s) {
            return new Side(s.id, s.mode, s.submittedAt, s.enteredBy, s.totalScore, s.band, s.riskLevel, List.of(s.answers));
        }
    }

    public record Conflict(UUID conflictId, String studentNumber, String studentName, int grade, String className,
                           String instrumentId, Side counted, Side conflicting) {
    }

    private final RiskPolicy policy;

    @Inject
    EntityManager em;

    @Inject
    InstrumentCatalog instruments;

    @Inject
    Outbox outbox;

    @Inject
    ReferralRequests referrals;

    @Inject
    AuditTrail audit;

    @Inject
    public SubmissionService(RiskPolicyConfig p) {
        this.policy = new RiskPolicy(p.version(), p.phqHigh(), p.phqModerate(), p.phqLow(), p.gadHigh(), p.gadModerate(), p.gadLow());
    }

    public RiskPolicy policy() {
        return policy;
    }

    /** A student's own online submission; the token fixes who and which campaign. */
    public Outcome submitOnline(UUID studentId, UUID tokenCampaign, Answers in) {
        if (!tokenCampaign.equals(in.campaignId())) {
            throw Problem.forbidden("this session belongs to another campaign");
        }
        Student student = Student.findById(studentId);
        if (student == null) {
            throw Problem.notFound("student");
        }
        Outcome outcome = submit(student, in, "ONLINE", "student-session");
        if (!outcome.replay()) {
            audit.recordAs("student:" + studentId, "student", AuditTrail.Action.CREATE, "submission",
                    outcome.submission().id.toString(), student.schoolId, "online screening");
        }
        return outcome;
    }

    /** A counsellor keys in a paper form for a student of their own school. */
    public Outcome submitPaper(String schoolId, String studentNumber, Answers in, String enteredBy) {
        Student student = Student.bySchoolNumber(schoolId, studentNumber)
                .orElseThrow(() -> Problem.invalid("unknown student",
                        List.of(new ProblemDetails.FieldError("studentNumber", "no student with this number in your school"))));
        Outcome outcome = submit(student, in, "PAPER", enteredBy);
        if (!outcome.replay()) {
            audit.record(AuditTrail.Action.CREATE, "submission", outcome.submission().id.toString(), schoolId, "paper entry");
        }
        return outcome;
    }

    private Outcome submit(Student student, Answers in, String mode, String enteredBy) {
        Campaign campaign = Campaign.findById(in.campaignId());
        if (campaign == null) {
            throw Problem.notFound("campaign");
        }
        // Serialise one student's submissions in this campaign (the access-code row is the lock).
        List<?> enrolled = em.createNativeQuery("select code from access_code where campaign_id = ?1 and student_id = ?2 for update")
                .setParameter(1, campaign.id).setParameter(2, student.id).getResultList();
        if (enrolled.isEmpty()) {
            throw Problem.unprocessable("not-in-campaign", "the student is not part of this campaign");
        }
        // One read answers both questions: is this a replay, and does this instrument already count?
        List<Submission> related = Submission.list("studentId = ?1 and (clientSubmissionId = ?2 or "
                        + "(campaignId = ?3 and instrumentId = ?4 and status = 'COUNTED'))",
                student.id, in.clientSubmissionId(), campaign.id, in.instrumentId());
        for (Submission earlier : related) {
            if (earlier.clientSubmissionId.equals(in.clientSubmissionId())) {
                return new Outcome(earlier, true);
            }
        }
        boolean alreadyCounted = !related.isEmpty();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        boolean open = campaign.isOpenAt(now)
                || ("PAPER".equals(mode) && !now.isBefore(campaign.opensAt) && now.isBefore(campaign.closesAt.plus(PAPER_GRACE)));
        if (!open) {
            throw Problem.conflict("campaign-closed", "the campaign is not open / 筛查不在开放时间内");
        }
        if (!campaign.includes(in.instrumentId())) {
            throw Problem.invalid("instrument not in campaign",
                    List.of(new ProblemDetails.FieldError("instrumentId", in.instrumentId() + " is not part of this campaign")));
        }
        Instrument instrument = instruments.find(in.instrumentId()).orElseThrow();
        List<String> problems = instrument.problemsWith(in.answers());
        if (!problems.isEmpty()) {
            throw Problem.invalid("the answers do not fit " + instrument.id(),
                    problems.stream().map(p -> new ProblemDetails.FieldError("answers", p)).toList());
        }
        Score score = Scorer.score(instrument, in.answers());
        RiskAssessment risk = policy.assess(score);
        Submission s = new Submission();
        s.id = UUID.randomUUID();
        s.campaignId = campaign.id;
        s.studentId = student.id;
        s.schoolId = student.schoolId;
        s.instrumentId = instrument.id();
        s.instrumentVersion = instrument.version();
        s.mode = mode;
        s.clientSubmissionId = in.clientSubmissionId();
        s.answers = java.util.Arrays.stream(in.answers()).boxed().toArray(Integer[]::new);
        s.totalScore = score.total();
        s.band = score.band();
        s.criticalItem = score.hasCriticalItem();
        s.riskLevel = risk.level().name();
        s.rule = risk.rule();
        s.policyVersion = risk.policyVersion();
        s.status = alreadyCounted ? "CONFLICT" : "COUNTED";
        s.enteredBy = enteredBy;
        s.submittedAt = now;
        s.persist();

        if (!alreadyCounted) {
            outbox.publish(RESULTS_TOPIC, campaign.id.toString(), RESULT_TYPE, s.id.toString(), new Result(s.id, campaign.id,
                    student.studentKey, student.schoolId, student.schoolId.substring(1, 7), student.grade, student.sex,
                    s.instrumentId, s.instrumentVersion, mode, s.totalScore, s.band, s.criticalItem, s.riskLevel, s.rule,
                    s.policyVersion, now, null));
        }
        if (risk.level().needsFollowUp()) {
            followUp(student, campaign, s, score, risk);
        }
        return new Outcome(s, false);
    }

    /** Open online/paper conflicts of a school in a campaign, both sides side by side (identifiable: audited). */
    public List<Conflict> conflicts(UUID campaignId, String schoolId) {
        List<Submission> open = Submission.list("campaignId = ?1 and schoolId = ?2 and status = 'CONFLICT' order by submittedAt",
                campaignId, schoolId);
        List<Conflict> out = new ArrayList<>();
        for (Submission c : open) {
            Submission counted = Submission.<Submission>find("campaignId = ?1 and studentId = ?2 and instrumentId = ?3 and status = 'COUNTED'",
                    c.campaignId, c.studentId, c.instrumentId).firstResult();
            Student student = Student.findById(c.studentId);
            out.add(new Conflict(c.id, student.studentNumber, student.name, student.grade, student.className, c.instrumentId,
                    counted == null ? null : Side.of(counted), Side.of(c)));
        }
        audit.record(AuditTrail.Action.READ, "submission-conflicts", campaignId.toString(), schoolId, "conflict review");
        return out;
    }

    /**
     * A counsellor's decision on a conflict. KEEP: the counted submission stays. REPLACE: the conflicting one
     * counts instead; its result is published with {@code supersedes} = the replaced one, so reporting moves
     * the student's numbers over in the same step. Either way the conflict is closed with who, when and why.
     */
    public Submission resolve(UUID conflictId, String schoolId, String decision, String note, String by) {
        Submission c = Submission.findById(conflictId);
        if (c == null || !c.schoolId.equals(schoolId)) {
            throw Problem.notFound("conflict");
        }
        em.createNativeQuery("select code from access_code where campaign_id = ?1 and student_id = ?2 for update")
                .setParameter(1, c.campaignId).setParameter(2, c.studentId).getResultList();
        em.refresh(c);
        if (!"CONFLICT".equals(c.status)) {
            throw Problem.conflict("already-resolved", "this conflict has already been resolved");
        }
        List<ProblemDetails.FieldError> errors = new ArrayList<>();
        if (decision == null || !List.of("KEEP", "REPLACE").contains(decision)) {
            errors.add(new ProblemDetails.FieldError("decision", "must be KEEP or REPLACE"));
        }
        if (note == null || note.isBlank() || note.length() > 500) {
            errors.add(new ProblemDetails.FieldError("note", "say why (1–500 characters), e.g. 纸质问卷录入有误"));
        }
        if (!errors.isEmpty()) {
            throw Problem.invalid("the conflict cannot be resolved", errors);
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        c.resolution = decision;
        c.resolutionNote = note.strip();
        c.resolvedBy = by;
        c.resolvedAt = now;
        Submission counted = Submission.<Submission>find("campaignId = ?1 and studentId = ?2 and instrumentId = ?3 and status = 'COUNTED'",
                c.campaignId, c.studentId, c.instrumentId).firstResult();
        if ("KEEP".equals(decision) || counted == null) {
            c.status = "RESOLVED";
        } else {
            counted.status = "RESOLVED";
            counted.resolution = "REPLACED";
            counted.resolvedBy = by;
            counted.resolvedAt = now;
            em.flush(); // the partial unique index allows one COUNTED at a time
            c.status = "COUNTED";
            Student student = Student.findById(c.studentId);
            outbox.publish(RESULTS_TOPIC, c.campaignId.toString(), RESULT_TYPE, c.id.toString(), new Result(c.id, c.campaignId,
                    student.studentKey, student.schoolId, student.schoolId.substring(1, 7), student.grade, student.sex,
                    c.instrumentId, c.instrumentVersion, c.mode, c.totalScore, c.band, c.criticalItem, c.riskLevel, c.rule,
                    c.policyVersion, c.submittedAt, counted.id));
        }
        audit.record(AuditTrail.Action.UPDATE, "submission", c.id.toString(), c.schoolId, "conflict review: " + decision);
        return c;
    }

    /** Opens or raises the student's risk case; HIGH/CRITICAL raise a referral request (again only when the level rises). */
    private void followUp(Student student, Campaign campaign, Submission s, Score score, RiskAssessment risk) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        RiskCase rc = RiskCase.find("campaignId = ?1 and studentId = ?2", campaign.id, student.id).firstResult();
        RiskLevel before = rc == null ? RiskLevel.NONE : RiskLevel.valueOf(rc.riskLevel);
        if (rc == null) {
            rc = new RiskCase();
            rc.id = UUID.randomUUID();
            rc.campaignId = campaign.id;
            rc.studentId = student.id;
            rc.schoolId = student.schoolId;
            rc.status = "OPEN";
            rc.createdAt = now;
            rc.reasons = new ArrayList<>();
        }
        RiskLevel level = RiskLevel.highest(before, risk.level());
        rc.riskLevel = level.name();
        rc.riskRank = (short) level.ordinal();
        String code = risk.rule().startsWith("critical-item") ? s.instrumentId + ":" + score.criticalItems().get(0) : s.instrumentId + ":" + s.band;
        RiskCase.Reason reason = new RiskCase.Reason(code, s.instrumentId, s.totalScore, s.band, s.criticalItem);
        rc.reasons = new ArrayList<>(rc.reasons);
        rc.reasons.add(reason);
        rc.updatedAt = now;
        if ("CLOSED".equals(rc.status) && risk.level().raisesReferral()) {
            rc.status = "OPEN";
        }
        rc.persist();
        if (risk.level().raisesReferral() && risk.level().compareTo(before) > 0) {
            List<RiskCase.Reason> reasons = rc.reasons.stream().filter(r -> r.code().equals(code)).toList();
            rc.referralRequestId = referrals.raise("SCREENING", s.id, student, campaign.id, risk.level().name(), reasons);
            rc.status = "REFERRED";
        }
    }
}
