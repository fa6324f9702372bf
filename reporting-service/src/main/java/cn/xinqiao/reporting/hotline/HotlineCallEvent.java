package cn.xinqiao.reporting.hotline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** reporting-service's view of hotline.calls.v1 (de-identified at the source). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HotlineCallEvent(@NotNull UUID callId,
                               @NotNull OffsetDateTime startedAt,
                               @NotNull OffsetDateTime endedAt,
                               @Min(0) @Max(86400) int durationSeconds,
                               @NotNull @Pattern(regexp = "PHONE|WECHAT|ONLINE_CHAT") String channel,
                               @NotNull @Pattern(regexp = "STUDENT|PARENT|TEACHER|OTHER") String callerType,
                               @Pattern(regexp = "UNDER_10|10_12|13_15|16_18|ADULT|UNKNOWN") String ageBand,
                               @Pattern(regexp = "MALE|FEMALE|UNKNOWN") String sex,
                               @Pattern(regexp = "[1-8][0-9]{5}") String districtCode,
                               @Pattern(regexp = "S[0-9]{9}") String schoolId,
                               @NotNull @Size(max = 30) List<@NotNull @Pattern(regexp = "[a-z-]{2,40}(\\.[a-z-]{2,40})?") String> categories,
                               @NotNull @Pattern(regexp = "NONE|LOW|MODERATE|HIGH|CRITICAL") String riskLevel,
                               @NotNull @Size(max = 10) List<@NotNull @Pattern(regexp = "[A-Z_]{2,30}") String> actions,
                               boolean repeatCaller,
                               Boolean escalated,
                               OffsetDateTime callbackDueAt) {
}
