package cn.xinqiao.screening.submission;

import cn.xinqiao.platform.outbox.Outbox;
import cn.xinqiao.platform.tenancy.Districts;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * {@code screening.results.v1}: one counted submission, de-identified (the pseudonymous student key, never a
 * name), keyed by campaign. {@code supersedes}: the result this one replaces after a counsellor's conflict review.
 */
public record ResultEvent(UUID resultId, UUID campaignId, String studentKey, String schoolId, String districtCode, int grade,
                          String sex, String instrumentId, String instrumentVersion, String mode, int totalScore, String band,
                          boolean criticalItem, String riskLevel, String rule, String policyVersion, OffsetDateTime submittedAt,
                          @JsonInclude(JsonInclude.Include.NON_NULL) UUID supersedes) {

    public static final String TOPIC = "screening.results.v1";
    public static final String TYPE = "cn.xinqiao.screening.result.v1";

    /** The result of a counted submission by a student with these de-identified facts. */
    public static ResultEvent of(Submission s, String studentKey, int grade, String sex, UUID supersedes) {
        return new ResultEvent(s.id, s.campaignId, studentKey, s.schoolId, Districts.countyOfSchool(s.schoolId), grade, sex,
                s.instrumentId, s.instrumentVersion, s.mode.name(), s.totalScore, s.band, s.criticalItem, s.riskLevel, s.rule,
                s.policyVersion, s.submittedAt, supersedes);
    }

    public Outbox.Message message() {
        return new Outbox.Message(TOPIC, campaignId.toString(), TYPE, resultId.toString(), this);
    }
}
