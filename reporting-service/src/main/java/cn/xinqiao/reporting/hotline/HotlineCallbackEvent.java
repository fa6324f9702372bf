package cn.xinqiao.reporting.hotline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.time.OffsetDateTime;
import java.util.UUID;

/** reporting-service's view of hotline.callbacks.v1: a promised callback, made. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HotlineCallbackEvent(@NotNull UUID callId,
                                   @Pattern(regexp = "[1-8][0-9]{5}") String districtCode,
                                   @Pattern(regexp = "S[0-9]{9}") String schoolId,
                                   @NotNull OffsetDateTime dueAt,
                                   @NotNull OffsetDateTime doneAt,
                                   @NotNull @Pattern(regexp = "REACHED|NO_ANSWER|DECLINED") String outcome) {
}
