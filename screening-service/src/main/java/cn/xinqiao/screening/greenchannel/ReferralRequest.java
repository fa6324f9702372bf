package cn.xinqiao.screening.greenchannel;

import cn.xinqiao.platform.outbox.Outbox;
import cn.xinqiao.screening.riskqueue.RiskCase;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * {@code referral.requests.v1} as screening writes it (contracts/schemas/referral.requests.v1.json; the contract
 * test checks it). De-identified: the pseudonymous student key, never a name. Keyed by the student key so one
 * student's requests stay ordered. Its reasons are the risk case's own.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReferralRequest(UUID requestId, String source, UUID sourceRef, String studentKey, String schoolId,
                              String districtCode, Integer grade, String sex, UUID campaignId, String riskLevel,
                              List<RiskCase.Reason> reasons, OffsetDateTime requestedAt, String requestedBy) {

    public static final String TOPIC = "referral.requests.v1";
    public static final String TYPE = "cn.xinqiao.referral.request.v1";

    /** Writes the request into the caller's transaction's outbox. */
    public UUID publishTo(Outbox outbox) {
        outbox.publish(TOPIC, studentKey, TYPE, requestId.toString(), this);
        return requestId;
    }
}
