package cn.xinqiao.reporting.screening;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.time.OffsetDateTime;
import java.util.UUID;

/** reporting-service's view of screening.results.v1 (the contract is in contracts/). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScreeningResultEvent(@NotNull UUID resultId,
                                   @NotNull UUID campaignId,
                                   @NotBlank String studentKey,
                                   @NotNull @Pattern(regexp = "S[0-9]{9}") String schoolId,
                                   @NotNull @Pattern(regexp = "[1-8][0-9]{5}") String districtCode,
                                   @Min(1) @Max(12) int grade,
                                   @NotNull @Pattern(regexp = "MALE|FEMALE|UNKNOWN") String sex,
                                   @NotNull @Pattern(regexp = "PHQ-9|PHQ-A|GAD-7|ASQ") String instrumentId,
                                   @NotNull @Pattern(regexp = "ONLINE|PAPER") String mode,
                                   @Min(0) @Max(100) int totalScore,
                                   @NotNull @Pattern(regexp = "[a-z-]{3,30}") String band,
                                   boolean criticalItem,
                                   @NotNull @Pattern(regexp = "NONE|LOW|MODERATE|HIGH|CRITICAL") String riskLevel,
                                   @NotNull OffsetDateTime submittedAt,
                                   UUID supersedes) {
}
