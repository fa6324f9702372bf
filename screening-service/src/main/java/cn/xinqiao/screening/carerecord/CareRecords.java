package cn.xinqiao.screening.carerecord;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.screening.campaign.Campaign;
import cn.xinqiao.screening.carerecord.CareRecord.Entry;
import cn.xinqiao.screening.carerecord.CareRecord.Kind;
import cn.xinqiao.screening.casework.CounsellingSession;
import cn.xinqiao.screening.casework.FollowUp;
import cn.xinqiao.screening.riskqueue.RiskCase;
import cn.xinqiao.screening.riskqueue.RiskCaseNote;
import cn.xinqiao.screening.roster.Student;
import cn.xinqiao.screening.submission.Submission;
import cn.xinqiao.screening.submission.SubmissionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Reads a student's care record from the school's own tables; the read is audited as the caller's. */
@ApplicationScoped
@Transactional
public class CareRecords {

    @Inject
    AuditTrail audit;

    public CareRecord of(String schoolId, String studentNumber) {
        Student student = Student.bySchoolNumber(schoolId, studentNumber).orElseThrow(() -> Problem.notFound("student"));
        List<Submission> results = Submission.list("studentId = ?1 and status = ?2 order by submittedAt", student.id, SubmissionStatus.COUNTED);
        List<RiskCase> cases = RiskCase.list("studentId = ?1 order by createdAt", student.id);
        Set<UUID> campaignIds = results.stream().map(s -> s.campaignId).collect(Collectors.toSet());
        cases.forEach(c -> campaignIds.add(c.campaignId));
        Map<UUID, String> campaigns = new HashMap<>();
        if (!campaignIds.isEmpty()) {
            Campaign.<Campaign>list("id in ?1", campaignIds).forEach(c -> campaigns.put(c.id, c.name));
        }
        Map<UUID, RiskCase> caseById = cases.stream().collect(Collectors.toMap(c -> c.id, c -> c));
        List<RiskCaseNote> notes = cases.isEmpty() ? List.of() : RiskCaseNote.list("caseId in ?1 order by createdAt", caseById.keySet());

        List<Entry> timeline = new ArrayList<>();
        Map<String, List<CareRecord.Score>> scores = new LinkedHashMap<>();
        for (Submission s : results) {
            String campaign = campaigns.get(s.campaignId);
            timeline.add(new Entry(Kind.SCREENING, s.submittedAt, s.campaignId, campaign, s.instrumentId, s.totalScore, s.band,
                    s.criticalItem, s.riskLevel, s.mode.name(), null, null, null, null, null, null, null, null, null, null, null, null, null, null, null));
            scores.computeIfAbsent(s.instrumentId, k -> new ArrayList<>())
                    .add(new CareRecord.Score(s.submittedAt, s.campaignId, campaign, s.totalScore, s.band, s.criticalItem));
        }
        for (RiskCase c : cases) {
            timeline.add(new Entry(Kind.RISK_CASE, c.createdAt, c.campaignId, campaigns.get(c.campaignId), null, null, null, null,
                    c.riskLevel, null, c.id, c.status, c.reasons, null, null, null, null, null, null, null, null, null, null, null, null));
            if (c.referralStatus != null) {
                timeline.add(new Entry(Kind.REFERRAL, c.referralUpdatedAt, c.campaignId, campaigns.get(c.campaignId), null, null, null,
                        null, c.riskLevel, null, c.id, null, null, null, null, null, c.referralStatus, c.referralBusinessStatus,
                        c.referralHospital, null, null, null, null, null, c.referralId));
            }
        }
        for (RiskCaseNote n : notes) {
            RiskCase c = caseById.get(n.caseId);
            timeline.add(new Entry(Kind.NOTE, n.createdAt, c.campaignId, campaigns.get(c.campaignId), null, null, null, null, null,
                    null, c.id, null, null, n.kind, n.note, n.author, null, null, null, null, null, null, null, null, null));
        }
        List<CounsellingSession> sessions = cases.isEmpty() ? List.of() : CounsellingSession.list("caseId in ?1", caseById.keySet());
        for (CounsellingSession s : sessions) {
            RiskCase c = caseById.get(s.caseId);
            timeline.add(new Entry(Kind.SESSION, s.heldOn.atStartOfDay(java.time.ZoneId.of("Asia/Shanghai")).toOffsetDateTime(), c.campaignId,
                    campaigns.get(c.campaignId), null, null, null, null, s.riskLevel, null, c.id, null, null, null, null, s.counsellor,
                    null, null, null, s.kind, s.minutes, s.progress, null, null, null));
        }
        List<FollowUp> followUps = cases.isEmpty() ? List.of() : FollowUp.list("caseId in ?1", caseById.keySet());
        for (FollowUp f : followUps) {
            RiskCase c = caseById.get(f.caseId);
            timeline.add(new Entry(Kind.FOLLOW_UP, f.doneAt != null ? f.doneAt : f.dueOn.atStartOfDay(java.time.ZoneId.of("Asia/Shanghai")).toOffsetDateTime(),
                    c.campaignId, campaigns.get(c.campaignId), null, null, null, null, null, null, c.id, null, null, null, f.note, f.doneBy,
                    null, null, null, null, null, null, f.byWhom, f.outcome, null));
        }
        timeline.sort(Comparator.comparing(Entry::at).reversed());
        audit.record(AuditTrail.Action.READ, "care-record", student.id.toString(), schoolId, "care record");
        return new CareRecord(new CareRecord.Student(student.studentNumber, student.name, student.sex, student.grade, student.className),
                timeline, scores);
    }
}
