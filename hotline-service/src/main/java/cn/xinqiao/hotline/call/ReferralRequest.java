package cn.xinqiao.hotline.call;

import cn.xinqiao.platform.outbox.Outbox;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * {@code referral.requests.v1} as the hotline writes it for an identified student in crisis
 * (contracts/schemas/referral.requests.v1.json; the contract test checks it). De-identified: the pseudonymous
 * student key, never a name; reasons are coded call categories. Keyed by the student key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReferralRequest(UUID requestId, String source, UUID sourceRef, String studentKey, String schoolId,
                              String districtCode, Integer grade, String sex, UUID campaignId, String riskLevel,
                              List<Reason> reasons, OffsetDateTime requestedAt, String requestedBy) {

    public static final String TOPIC = "referral.requests.v1";
    public static final String TYPE = "cn.xinqiao.referral.request.v1";

    /** A coded reason, e.g. {@code HOTLINE:mental-health.suicidal-thoughts}. */
    public record Reason(String code) {
        public static Reason coded(String code) {
            return new Reason(code);
        }
    }

    /** Writes the request into the caller's transaction's outbox. */
    public UUID publishTo(Outbox outbox) {
        outbox.publish(TOPIC, studentKey, TYPE, requestId.toString(), this);
        return requestId;
    }
}
