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
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

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
        Outcome outcome = submit(studentId, in, "ONLINE", "student-session");
        if (!outcome.replay()) {
            audit.recordAs("student:" + studentId, "student", AuditTrail.Action.CREATE, "submission",
                    outcome.submission().id.toString(), outcome.submission().schoolId, "online screening");
        }
        return outcome;
    }

    /** A counsellor keys in a paper form for a student of their own school. */
    public Outcome submitPaper(String schoolId, String studentNumber, Answers in, String enteredBy) {
        Student student = Student.bySchoolNumber(schoolId, studentNumber)
                .orElseThrow(() -> Problem.invalid("unknown student",
                        List.of(new ProblemDetails.FieldError("studentNumber", "no student with this number in your school"))));
        Outcome outcome = submit(student.id, in, "PAPER", enteredBy);
        if (!outcome.replay()) {
            audit.record(AuditTrail.Action.CREATE, "submission", outcome.submission().id.toString(), schoolId, "paper entry");
        }
        return outcome;
    }

    /**
     * What a submission needs about its student and campaign, read in one round trip that also takes the
     * student's lock for this campaign (the access-code row) and answers: is this a replay, and does this
     * instrument already count? (Four queries before, the largest share of a submission's cost.)
     */
    record Enrolment(UUID studentId, String schoolId, String studentKey, int grade, String sex, UUID campaignId,
                     List<String> instruments, OffsetDateTime opensAt, OffsetDateTime closesAt, UUID replayOf,
                     boolean alreadyCounted) {

        ReferralRequests.Subject subject() {
            return new ReferralRequests.Subject(studentKey, schoolId, grade, sex);
        }
    }

    static final String ENROLMENT_SQL = """
            select s.school_id, s.student_key, s.grade, s.sex, c.instruments, c.opens_at, c.closes_at,
                   (select x.id from submission x where x.student_id = a.student_id and x.client_submission_id = ?),
                   exists (select 1 from submission x where x.campaign_id = a.campaign_id and x.student_id = a.student_id
                           and x.instrument_id = ? and x.status = 'COUNTED')
              from access_code a join student s on s.id = a.student_id join campaign c on c.id = a.campaign_id
             where a.campaign_id = ? and a.student_id = ?
               for update of a""";

    private Enrolment lockEnrolment(UUID studentId, Answers in) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(ENROLMENT_SQL)) {
                ps.setString(1, in.clientSubmissionId());
                ps.setString(2, in.instrumentId());
                ps.setObject(3, in.campaignId());
                ps.setObject(4, studentId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    return new Enrolment(studentId, rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                            in.campaignId(), List.of((String[]) rs.getArray(5).getArray()), rs.getObject(6, OffsetDateTime.class),
                            rs.getObject(7, OffsetDateTime.class), rs.getObject(8, UUID.class), rs.getBoolean(9));
                }
            }
        });
    }

    private Outcome submit(UUID studentId, Answers in, String mode, String enteredBy) {
        Enrolment enrolment = lockEnrolment(studentId, in);
        if (enrolment == null) {
            if (Campaign.findById(in.campaignId()) == null) {
                throw Problem.notFound("campaign");
            }
            if (Student.findById(studentId) == null) {
                throw Problem.notFound("student");
            }
            throw Problem.unprocessable("not-in-campaign", "the student is not part of this campaign");
        }
        if (enrolment.replayOf() != null) {
            return new Outcome(Submission.findById(enrolment.replayOf()), true);
        }
        boolean alreadyCounted = enrolment.alreadyCounted();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        boolean open = (!now.isBefore(enrolment.opensAt()) && now.isBefore(enrolment.closesAt()))
                || ("PAPER".equals(mode) && !now.isBefore(enrolment.opensAt()) && now.isBefore(enrolment.closesAt().plus(PAPER_GRACE)));
        if (!open) {
            throw Problem.conflict("campaign-closed", "the campaign is not open / 筛查不在开放时间内");
        }
        if (!enrolment.instruments().contains(in.instrumentId())) {
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
        s.campaignId = enrolment.campaignId();
        s.studentId = studentId;
        s.schoolId = enrolment.schoolId();
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
        insert(s);

        if (!alreadyCounted) {
            outbox.publish(RESULTS_TOPIC, s.campaignId.toString(), RESULT_TYPE, s.id.toString(), new Result(s.id, s.campaignId,
                    enrolment.studentKey(), s.schoolId, s.schoolId.substring(1, 7), enrolment.grade(), enrolment.sex(),
                    s.instrumentId, s.instrumentVersion, mode, s.totalScore, s.band, s.criticalItem, s.riskLevel, s.rule,
                    s.policyVersion, now, null));
        }
        if (risk.level().needsFollowUp()) {
            followUp(enrolment, s, score, risk);
        }
        return new Outcome(s, false);
    }

    static final String INSERT_SQL = """
            insert into submission (id, campaign_id, student_id, school_id, instrument_id, instrument_version, mode,
                                    client_submission_id, answers, total_score, band, critical_item, risk_level, rule,
                                    policy_version, status, entered_by, submitted_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /**
     * A new submission is written with plain JDBC on the transaction's connection, like the outbox and audit rows
     * it commits with: the ORM's insert machinery (binding, sorting, the flush at commit) was about a third of the
     * submission path's CPU (JFR, screening benchmark, 2026-11-23). Reads and the conflict review still use the
     * entity; the returned object is the row as written.
     */
    private void insert(Submission s) {
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_SQL)) {
                Object[] values = {s.id, s.campaignId, s.studentId, s.schoolId, s.instrumentId, s.instrumentVersion, s.mode,
                        s.clientSubmissionId, connection.createArrayOf("int4", s.answers), s.totalScore, s.band, s.criticalItem,
                        s.riskLevel, s.rule, s.policyVersion, s.status, s.enteredBy, s.submittedAt};
                for (int i = 0; i < values.length; i++) {
                    insert.setObject(i + 1, values[i]);
                }
                insert.executeUpdate();
            }
        });
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
    private void followUp(Enrolment enrolment, Submission s, Score score, RiskAssessment risk) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        RiskCase rc = RiskCase.find("campaignId = ?1 and studentId = ?2", s.campaignId, s.studentId).firstResult();
        RiskLevel before = rc == null ? RiskLevel.NONE : RiskLevel.valueOf(rc.riskLevel);
        if (rc == null) {
            rc = new RiskCase();
            rc.id = UUID.randomUUID();
            rc.campaignId = s.campaignId;
            rc.studentId = s.studentId;
            rc.schoolId = s.schoolId;
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
            rc.referralRequestId = referrals.raise("SCREENING", s.id, enrolment.subject(), s.campaignId, risk.level().name(), reasons);
            rc.status = "REFERRED";
        }
    }
}
