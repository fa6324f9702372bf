package cn.xinqiao.referral.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A referral request as {@code referral.requests.v1} carries it. */
public record IncomingRequest(UUID requestId, String source, UUID sourceRef, String studentKey, String schoolId,
                              String districtCode, Integer grade, String sex, UUID campaignId, String riskLevel,
                              List<Reason> reasons, OffsetDateTime requestedAt) {

    public record Reason(String code, String instrumentId, Integer totalScore, String band, Boolean criticalItem) {
    }
}
