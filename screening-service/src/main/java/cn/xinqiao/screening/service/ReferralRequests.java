package cn.xinqiao.screening.service;

import cn.xinqiao.platform.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** Writes {@code referral.requests.v1} (de-identified: the student key, never the name) into the outbox. */
@ApplicationScoped
public class ReferralRequests {

    public static final String TOPIC = "referral.requests.v1";
    public static final String TYPE = "cn.xinqiao.referral.request.v1";

    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Request(UUID requestId, String source, UUID sourceRef, String studentKey, String schoolId,
                          String districtCode, Integer grade, String sex, UUID campaignId, String riskLevel,
                          List<RiskCase.Reason> reasons, OffsetDateTime requestedAt) {
    }

    @Inject
    Outbox outbox;

    @Transactional(Transactional.TxType.MANDATORY)
    public UUID raise(String source, UUID sourceRef, Student student, UUID campaignId, String riskLevel, List<RiskCase.Reason> reasons) {
        UUID requestId = UUID.randomUUID();
        String district = student.schoolId.substring(1, 7);   // S + county code + 3 digits
        outbox.publish(TOPIC, student.studentKey, TYPE, requestId.toString(), new Request(requestId, source, sourceRef,
                student.studentKey, student.schoolId, district, student.grade, student.sex, campaignId, riskLevel,
                List.copyOf(reasons), OffsetDateTime.now(ZoneOffset.UTC)));
        return requestId;
    }
}
