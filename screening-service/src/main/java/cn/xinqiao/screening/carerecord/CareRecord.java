package cn.xinqiao.screening.carerecord;

import cn.xinqiao.screening.riskqueue.CaseStatus;
import cn.xinqiao.screening.riskqueue.RiskCase;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One student's history across semesters and campaigns (心理档案), newest first: every screening result, the risk
 * cases with their notes and the hospital's status of each referral; per instrument, the scores over time.
 */
public record CareRecord(Student student, List<Entry> timeline, Map<String, List<Score>> scores) {

    /** Who the record is about (identifiable: every read is audited). */
    public record Student(String studentNumber, String name, String sex, int grade, String className) {
    }

    public enum Kind { SCREENING, RISK_CASE, NOTE, REFERRAL, SESSION, FOLLOW_UP }

    /** One dated event of the record; the fields that do not apply to its kind are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(Kind kind, OffsetDateTime at, UUID campaignId, String campaign,
                        // SCREENING
                        String instrumentId, Integer totalScore, String band, Boolean criticalItem, String riskLevel, String mode,
                        // RISK_CASE
                        UUID caseId, CaseStatus caseStatus, List<RiskCase.Reason> reasons,
                        // NOTE
                        String noteKind, String note, String author,
                        // REFERRAL
                        String referralStatus, String referralBusinessStatus, String hospitalId,
                        // SESSION (never its private notes)
                        String sessionKind, Integer minutes, String progress,
                        // FOLLOW_UP (at: its due date until done, then when it was done)
                        String followUpBy, String outcome,
                        // REFERRAL: its id, for the return summary the referral API shows the school (audited there)
                        UUID referralId) {
    }

    /** One counted result on an instrument's line, oldest first. */
    public record Score(OffsetDateTime at, UUID campaignId, String campaign, int totalScore, String band, boolean criticalItem) {
    }
}
