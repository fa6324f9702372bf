package cn.xinqiao.referral.intake;

import cn.xinqiao.platform.outbox.Outbox;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A referral request as {@code referral.requests.v1} carries it: what this service reads from screening and the
 * hotline, and writes itself for a counsellor's manual referral (which then enters the green channel like any
 * other request).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReferralRequest(UUID requestId, String source, UUID sourceRef, String studentKey, String schoolId,
                              String districtCode, Integer grade, String sex, UUID campaignId, String riskLevel,
                              List<Reason> reasons, OffsetDateTime requestedAt, String requestedBy) {

    public static final String TOPIC = "referral.requests.v1";
    public static final String TYPE = "cn.xinqiao.referral.request.v1";

    /** A coded reason, e.g. {@code PHQ-A:item9}, {@code HOTLINE:mental-health.suicidal-thoughts}, {@code COUNSELOR:assessment}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reason(String code, String instrumentId, Integer totalScore, String band, Boolean criticalItem) {
        public static Reason coded(String code) {
            return new Reason(code, null, null, null, null);
        }
    }

    /** Writes the request into the caller's transaction's outbox. */
    public UUID publishTo(Outbox outbox) {
        outbox.publish(TOPIC, studentKey, TYPE, requestId.toString(), this);
        return requestId;
    }
}
