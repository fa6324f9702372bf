package cn.xinqiao.screening.submission;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.id.Ids;
import cn.xinqiao.platform.outbox.Outbox;
import cn.xinqiao.platform.trace.Traces;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.problem.ProblemDetails;
import cn.xinqiao.platform.problem.ProblemText;
import cn.xinqiao.screening.campaign.Campaign;
import cn.xinqiao.screening.domain.Instrument;
import cn.xinqiao.screening.domain.RiskAssessment;
import cn.xinqiao.screening.domain.RiskPolicy;
import cn.xinqiao.screening.domain.Score;
import cn.xinqiao.screening.domain.Scorer;
import cn.xinqiao.screening.instrument.InstrumentCatalog;
import cn.xinqiao.screening.riskqueue.RiskFollowUp;
import cn.xinqiao.screening.roster.Student;
import cn.xinqiao.screening.submission.Enrolments.Enrolment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import cn.xinqiao.screening.consent.ConsentConfig;
import cn.xinqiao.screening.consent.ConsentRefusals;
import cn.xinqiao.screening.domain.ConsentRule;
import cn.xinqiao.screening.domain.SchoolYear;
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

    /** Paper forms may be keyed in for two weeks after a campaign closes. */
    static final Duration PAPER_GRACE = Duration.ofDays(14);

    public record Answers(UUID campaignId, String instrumentId, int[] answers, String clientSubmissionId) {
    }

    public record Outcome(Submission submission, boolean replay) {
    }

    private final RiskPolicy policy;

    @Inject
    Enrolments enrolments;

    @Inject
    cn.xinqiao.screening.helpline.HelpLines helpLines;

    @Inject
    SubmissionStore store;

    @Inject
    InstrumentCatalog instruments;

    @Inject
    Outbox outbox;

    @Inject
    RiskFollowUp followUp;

    @Inject
    AuditTrail audit;

    private final ConsentRule consentRule;

    @Inject
    public SubmissionService(RiskPolicyConfig p, ConsentConfig consent) {
        this.consentRule = new ConsentRule(consent.guardianConsentUnder());
        this.policy = new RiskPolicy(p.version(), p.phqHigh(), p.phqModerate(), p.phqLow(), p.gadHigh(), p.gadModerate(), p.gadLow());
    }

    public RiskPolicy policy() {
        return policy;
    }

    /** One submission to make: online (the student's own, audited as the student) or paper (by school staff). */
    public record Request(UUID studentId, Answers in, boolean online, String enteredBy, String traceparent) {

        /** Made on the request's own thread: its trace goes with it into the group commit. */
        public Request(UUID studentId, Answers in, boolean online, String enteredBy) {
            this(studentId, in, online, enteredBy, Traces.current());
        }

        /** A student's own online submission; the token fixes who and which campaign. */
        public static Request online(UUID studentId, UUID tokenCampaign, Answers in) {
            if (!tokenCampaign.equals(in.campaignId())) {
                throw Problem.forbidden("this session belongs to another campaign");
            }
            return new Request(studentId, in, true, "student-session");
        }

        Mode mode() {
            return online ? Mode.ONLINE : Mode.PAPER;
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
     * Makes a list of submissions in the caller's transaction: one locked read for all of them, their rows in one
     * batch, then each one's result event, follow-up and audit line. A request that is refused (not enrolled,
     * campaign closed, answers that do not fit) gets its problem and writes nothing; the others go on. Within the
     * list, requests are taken in order: a repeated client id is a replay of the first, a second submission of
     * the same instrument is a CONFLICT, exactly as if they had come one after the other.
     */
    public List<Made> submitAll(List<Request> requests) {
        Enrolment[] enrolments = this.enrolments.lockAndRead(requests.stream().map(r -> new Enrolments.Key(r.in().campaignId(),
                r.studentId(), r.in().clientSubmissionId(), r.in().instrumentId())).toList());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        java.time.LocalDate today = java.time.LocalDate.now(SchoolYear.CHINA);
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
                ConsentRule.Standing consent = consentRule.standing(enrolment.consent() == null ? null
                        : ConsentRule.Decision.valueOf(enrolment.consent()), enrolment.birthDate(), today);
                if (!consent.allowed()) {
                    throw r.online() ? ConsentRefusals.of(consent, helpLines.hotline()) : ConsentRefusals.forPaper(consent);
                }
                String counted = r.in().campaignId() + "|" + r.studentId() + "|" + r.in().instrumentId();
                scored[i] = score(r, enrolment, now, enrolment.alreadyCounted() || countedHere.contains(counted));
                Submission s = scored[i].submission();
                if (s.status == SubmissionStatus.COUNTED) {
                    countedHere.add(counted);
                }
                madeHere.put(replayKey, s);
                rows.add(s);
                made[i] = new Made(new Outcome(s, false), null);
            } catch (Problem p) {
                made[i] = new Made(null, p);
            }
        }
        store.insert(rows);
        List<Outbox.Message> results = new ArrayList<>();
        List<AuditTrail.Line> lines = new ArrayList<>();
        for (int i = 0; i < made.length; i++) {
            if (scored[i] != null) {
                // what a submission announces (its result, a risk case, a green-channel request) carries its request's trace
                try (var trace = Traces.resume(requests.get(i).traceparent())) {
                    announce(requests.get(i), enrolments[i], scored[i], results, lines);
                }
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
        Instrument instrument = instruments.find(in.instrumentId(), enrolment.versionOf(in.instrumentId())).orElseThrow();
        List<Instrument.AnswerProblem> problems = instrument.answerProblems(in.answers());
        if (!problems.isEmpty()) {
            throw Problem.invalid(ProblemText.Text.of("detail.answers-do-not-fit", instrument.id()), problems.stream()
                    .map(p -> ProblemDetails.FieldError.of("answers", new ProblemText.Text(p.key(), p.args()))).toList());
        }
        Score score = Scorer.score(instrument, in.answers());
        RiskAssessment risk = policy.assess(score, instrument);
        Submission s = new Submission();
        s.id = Ids.timeOrdered();
        s.campaignId = enrolment.campaignId();
        s.studentId = r.studentId();
        s.schoolId = enrolment.schoolId();
        s.instrumentId = instrument.id();
        s.instrumentVersion = instrument.version();
        s.mode = r.mode();
        s.clientSubmissionId = in.clientSubmissionId();
        s.answers = Arrays.stream(in.answers()).boxed().toArray(Integer[]::new);
        s.totalScore = score.total();
        s.band = score.band();
        s.criticalItem = score.hasCriticalItem();
        s.riskLevel = risk.level().name();
        s.rule = risk.rule();
        s.policyVersion = risk.policyVersion();
        s.status = alreadyCounted ? SubmissionStatus.CONFLICT : SubmissionStatus.COUNTED;
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
        if (s.status == SubmissionStatus.COUNTED) {
            results.add(ResultEvent.of(s, enrolment.studentKey(), enrolment.grade(), enrolment.sex(), null).message());
        }
        if (scored.risk().level().needsFollowUp()) {
            followUp.follow(new RiskFollowUp.Scored(s.id, s.campaignId, s.studentId, s.schoolId, s.instrumentId, s.totalScore,
                    s.band, s.criticalItem, scored.score(), scored.risk()), enrolment.subject());
        }
        if (r.online()) {
            lines.add(new AuditTrail.Line("student:" + s.studentId, "student", AuditTrail.Action.CREATE, "submission", s.id.toString(),
                    s.schoolId, "online screening"));
        } else {
            audit.record(AuditTrail.Action.CREATE, "submission", s.id.toString(), s.schoolId, "paper entry");
        }
    }
}
