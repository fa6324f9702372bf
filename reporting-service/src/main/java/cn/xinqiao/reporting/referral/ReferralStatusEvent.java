package cn.xinqiao.reporting.referral;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.time.OffsetDateTime;
import java.util.UUID;

/** reporting-service's view of referral.status.v1. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReferralStatusEvent(@NotNull UUID referralId,
                                  @NotNull @Pattern(regexp = "S[0-9]{9}") String schoolId,
                                  @NotNull @Pattern(regexp = "[1-8][0-9]{5}") String districtCode,
                                  @Pattern(regexp = "H[0-9]{9}") String hospitalId,
                                  @NotNull @Pattern(regexp = "MODERATE|HIGH|CRITICAL") String riskLevel,
                                  @NotNull @Pattern(regexp = "requested|accepted|rejected|in-progress|completed|cancelled|failed") String status,
                                  @NotNull @Pattern(regexp = "routed|unrouted|accepted|declined|scheduled|seen|no-show|cancelled|escalated|merged|returned") String businessStatus,
                                  @Pattern(regexp = "BACKUP_HOSPITAL|BUREAU_ALERT|NO_PARTNERSHIP") String escalation,
                                  @NotNull OffsetDateTime requestedAt,
                                  @NotNull OffsetDateTime occurredAt,
                                  @Pattern(regexp = "HOSPITAL_RETURN") String origin,
                                  ReturnSummary returnSummary) {

    /** Whether the hospital returned a summary: the coded part's presence is all a report counts. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReturnSummary(Boolean medication) {
    }

    public boolean returned() {
        return returnSummary != null;
    }
}
