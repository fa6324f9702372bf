package cn.xinqiao.screening.service;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.id.Ids;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** One submission to make: online (the student's own, audited as the student) or paper (by school staff). */
    public record Request(UUID studentId, Answers in, boolean online, String enteredBy) {

        /** A student's own online submission; the token fixes who and which campaign. */
        public static Request online(UUID studentId, UUID tokenCampaign, Answers in) {
            if (!tokenCampaign.equals(in.campaignId())) {
                throw Problem.forbidden("this session belongs to another campaign");
            }
            return new Request(studentId, in, true, "student-session");
        }

        String mode() {
            return online ? "ONLINE" : "PAPER";
        }
    }

    /** What became of a request: its outcome, or the problem that refused it (then nothing of it was written). */
    public record Made(Outcome outcome, Problem refused) {
        public Outcome orThrow() {
            if (refused != null) {
                throw refused;
            }
            return outcome;
        }
    }

    /** A counsellor keys in a paper form for a student of their own school. */
    public Outcome submitPaper(String schoolId, String studentNumber, Answers in, String enteredBy) {
        Student student = Student.bySchoolNumber(schoolId, studentNumber)
                .orElseThrow(() -> Problem.invalid("unknown student",
                        List.of(new ProblemDetails.FieldError("studentNumber", "no student with this number in your school"))));
        return submitAll(List.of(new Request(student.id, in, false, enteredBy))).get(0).orThrow();
    }

    /**
     * What a submission needs about its student and campaign, read in one round trip once the student's lock
     * for this campaign is held ({@link #lockStudents}), with the answers to: is this a replay, and does this
     * instrument already count? (Four queries before, the largest share of a submission's cost.)
     */
    record Enrolment(UUID studentId, String schoolId, String studentKey, int grade, String sex, UUID campaignId,
                     List<String> instruments, OffsetDateTime opensAt, OffsetDateTime closesAt, UUID replayOf,
                     boolean alreadyCounted) {

        ReferralRequests.Subject subject() {
            return new ReferralRequests.Subject(studentKey, schoolId, grade, sex);
        }
    }

    /**
     * Every request's enrolment in one round trip, read after the students' locks are held (so the read sees
     * whatever the previous holder committed).
     */
    static final String ENROLMENT_SQL = """
            select r.i, s.school_id, s.student_key, s.grade, s.sex, c.instruments, c.opens_at, c.closes_at,
                   (select x.id from submission x where x.campaign_id = r.campaign_id and x.student_id = r.student_id
                           and x.client_submission_id = r.client_submission_id),
                   exists (select 1 from submission x where x.campaign_id = r.campaign_id and x.student_id = r.student_id
                           and x.instrument_id = r.instrument_id and x.status = 'COUNTED')
              from unnest(?::int[], ?::uuid[], ?::uuid[], ?::varchar[], ?::varchar[])
                     as r(i, campaign_id, student_id, client_submission_id, instrument_id)
              join access_code a on a.campaign_id = r.campaign_id and a.student_id = r.student_id
              join student s on s.id = a.student_id join campaign c on c.id = a.campaign_id""";

    /**
     * Takes the lock of each (campaign, student) for the rest of the transaction: submissions, paper entry and
     * conflict resolution for one student in one campaign happen one at a time. PostgreSQL advisory locks, in
     * ascending key order so that two transactions with students in common cannot deadlock. The lock was the
     * student's access-code row ({@code for update}), which wrote the row (a tuple lock and its WAL record, a
     * dirtied page) for every submission; an advisory lock lives in shared memory only. A key is 64 bits of the
     * two ids: two students sharing one would only wait for each other.
     */
    public void lockStudents(Collection<UUID[]> campaignAndStudent) {
        long[] keys = campaignAndStudent.stream().mapToLong(p -> studentLockKey(p[0], p[1])).sorted().distinct().toArray();
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement("select count(pg_advisory_xact_lock(k)) from unnest(?::int8[]) as k")) {
                ps.setArray(1, connection.createArrayOf("int8", Arrays.stream(keys).boxed().toArray()));
                ps.executeQuery().close();
            }
        });
    }

    static long studentLockKey(UUID campaignId, UUID studentId) {
        return campaignId.getMostSignificantBits() ^ Long.rotateLeft(campaignId.getLeastSignificantBits(), 17)
                ^ Long.rotateLeft(studentId.getMostSignificantBits(), 31) ^ Long.rotateLeft(studentId.getLeastSignificantBits(), 47);
    }

    /** The enrolment of each request (by position; null where the student is not in the campaign). */
    private Enrolment[] lockEnrolments(List<Request> requests) {
        lockStudents(requests.stream().map(r -> new UUID[]{r.in().campaignId(), r.studentId()}).toList());
        return em.unwrap(Session.class).doReturningWork(connection -> {
            int n = requests.size();
            Integer[] index = new Integer[n];
            UUID[] campaigns = new UUID[n];
            UUID[] students = new UUID[n];
            String[] clientIds = new String[n];
            String[] instrumentIds = new String[n];
            for (int i = 0; i < n; i++) {
                Request r = requests.get(i);
                index[i] = i;
                campaigns[i] = r.in().campaignId();
                students[i] = r.studentId();
                clientIds[i] = r.in().clientSubmissionId();
                instrumentIds[i] = r.in().instrumentId();
            }
            Enrolment[] enrolments = new Enrolment[n];
            try (PreparedStatement ps = connection.prepareStatement(ENROLMENT_SQL)) {
                ps.setArray(1, connection.createArrayOf("int4", index));
                ps.setArray(2, connection.createArrayOf("uuid", campaigns));
                ps.setArray(3, connection.createArrayOf("uuid", students));
                ps.setArray(4, connection.createArrayOf("varchar", clientIds));
                ps.setArray(5, connection.createArrayOf("varchar", instrumentIds));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int i = rs.getInt(1);
                        enrolments[i] = new Enrolment(students[i], rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                                campaigns[i], List.of((String[]) rs.getArray(6).getArray()), rs.getObject(7, OffsetDateTime.class),
                                rs.getObject(8, OffsetDateTime.class), rs.getObject(9, UUID.class), rs.getBoolean(10));
                    }
                }
            }
            return enrolments;
        });
    }

    /**
     * Makes a list of submissions in the caller's transaction: one locked read for all of them, their rows in one
     * batch, then each one's result event, follow-up and audit line. A request that is refused (not enrolled,
     * campaign closed, answers that do not fit) gets its problem and writes nothing; the others go on. Within the
     * list, requests are taken in order: a repeated client id is a replay of the first, a second submission of
     * the same instrument is a CONFLICT, exactly as if they had come one after the other.
     */
    public List<Made> submitAll(List<Request> requests) {
        Enrolment[] enrolments = lockEnrolments(requests);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Made[] made = new Made[requests.size()];
        Scored[] scored = new Scored[requests.size()];
        List<Submission> rows = new ArrayList<>();
        Map<String, Submission> madeHere = new HashMap<>();
        Set<String> countedHere = new HashSet<>();
        for (int i = 0; i < made.length; i++) {
            Request r = requests.get(i);
            try {
                String replayKey = r.in().campaignId() + "|" + r.studentId() + "|" + r.in().clientSubmissionId();
                Submission earlier = madeHere.get(replayKey);
                if (earlier != null) {
                    made[i] = new Made(new Outcome(earlier, true), null);
                    continue;
                }
                Enrolment enrolment = enrolments[i];
                if (enrolment == null) {
                    throw notEnrolled(r);
                }
                if (enrolment.replayOf() != null) {
                    made[i] = new Made(new Outcome(Submission.findById(enrolment.replayOf()), true), null);
                    continue;
                }
                String counted = r.in().campaignId() + "|" + r.studentId() + "|" + r.in().instrumentId();
                scored[i] = score(r, enrolment, now, enrolment.alreadyCounted() || countedHere.contains(counted));
                Submission s = scored[i].submission();
                if ("COUNTED".equals(s.status)) {
                    countedHere.add(counted);
                }
                madeHere.put(replayKey, s);
                rows.add(s);
                made[i] = new Made(new Outcome(s, false), null);
            } catch (Problem p) {
                made[i] = new Made(null, p);
            }
        }
        insert(rows);
        List<Outbox.Message> results = new ArrayList<>();
        List<AuditTrail.Line> lines = new ArrayList<>();
        for (int i = 0; i < made.length; i++) {
            if (scored[i] != null) {
                announce(requests.get(i), enrolments[i], scored[i], results, lines);
            }
        }
        outbox.publishAll(results);
        audit.recordAll(lines);
        return List.of(made);
    }

    private Problem notEnrolled(Request r) {
        if (Campaign.findById(r.in().campaignId()) == null) {
            return Problem.notFound("campaign");
        }
        if (Student.findById(r.studentId()) == null) {
            return Problem.notFound("student");
        }
        return Problem.unprocessable("not-in-campaign", "the student is not part of this campaign");
    }

    /** A submission about to be written, with the score and risk it was given. */
    private record Scored(Submission submission, Score score, RiskAssessment risk) {
    }

    /** Checks the request against its campaign and instrument and scores it; writes nothing. */
    private Scored score(Request r, Enrolment enrolment, OffsetDateTime now, boolean alreadyCounted) {
        Answers in = r.in();
        boolean open = (!now.isBefore(enrolment.opensAt()) && now.isBefore(enrolment.closesAt()))
                || (!r.online() && !now.isBefore(enrolment.opensAt()) && now.isBefore(enrolment.closesAt().plus(PAPER_GRACE)));
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
        s.id = Ids.timeOrdered();
        s.campaignId = enrolment.campaignId();
        s.studentId = r.studentId();
        s.schoolId = enrolment.schoolId();
        s.instrumentId = instrument.id();
        s.instrumentVersion = instrument.version();
        s.mode = r.mode();
        s.clientSubmissionId = in.clientSubmissionId();
        s.answers = java.util.Arrays.stream(in.answers()).boxed().toArray(Integer[]::new);
        s.totalScore = score.total();
        s.band = score.band();
        s.criticalItem = score.hasCriticalItem();
        s.riskLevel = risk.level().name();
        s.rule = risk.rule();
        s.policyVersion = risk.policyVersion();
        s.status = alreadyCounted ? "CONFLICT" : "COUNTED";
        s.enteredBy = r.enteredBy();
        s.submittedAt = now;
        return new Scored(s, score, risk);
    }

    /**
     * A written submission's result event (when it counts) and audit line, added to the list's (written together
     * after the loop), and its follow-up when its risk calls for one.
     */
    private void announce(Request r, Enrolment enrolment, Scored scored, List<Outbox.Message> results, List<AuditTrail.Line> lines) {
        Submission s = scored.submission();
        if ("COUNTED".equals(s.status)) {
            results.add(new Outbox.Message(RESULTS_TOPIC, s.campaignId.toString(), RESULT_TYPE, s.id.toString(), new Result(s.id,
                    s.campaignId, enrolment.studentKey(), s.schoolId, s.schoolId.substring(1, 7), enrolment.grade(), enrolment.sex(),
                    s.instrumentId, s.instrumentVersion, s.mode, s.totalScore, s.band, s.criticalItem, s.riskLevel, s.rule,
                    s.policyVersion, s.submittedAt, null)));
        }
        if (scored.risk().level().needsFollowUp()) {
            followUp(enrolment, s, scored.score(), scored.risk());
        }
        if (r.online()) {
            lines.add(new AuditTrail.Line("student:" + s.studentId, "student", AuditTrail.Action.CREATE, "submission", s.id.toString(),
                    s.schoolId, "online screening"));
        } else {
            audit.record(AuditTrail.Action.CREATE, "submission", s.id.toString(), s.schoolId, "paper entry");
        }
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
    private void insert(List<Submission> rows) {
        if (rows.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_SQL)) {
                for (Submission s : rows) {
                    Object[] values = {s.id, s.campaignId, s.studentId, s.schoolId, s.instrumentId, s.instrumentVersion, s.mode,
                            s.clientSubmissionId, connection.createArrayOf("int4", s.answers), s.totalScore, s.band, s.criticalItem,
                            s.riskLevel, s.rule, s.policyVersion, s.status, s.enteredBy, s.submittedAt};
                    for (int i = 0; i < values.length; i++) {
                        insert.setObject(i + 1, values[i]);
                    }
                    insert.addBatch();
                }
                insert.executeBatch(); // one round trip for the whole list
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
        lockStudents(List.<UUID[]>of(new UUID[]{c.campaignId, c.studentId}));
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
