package cn.xinqiao.reporting.directory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** reporting-service's view of directory.campaigns.v1. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CampaignEvent(@NotNull UUID campaignId,
                            @NotBlank @Size(max = 200) String name,
                            @NotNull @Pattern(regexp = "[1-8][0-9]{5}") String ownerArea,
                            @NotEmpty List<@NotNull @Pattern(regexp = "PHQ-9|PHQ-A|GAD-7|ASQ") String> instruments,
                            @NotEmpty List<@NotNull @Min(1) @Max(12) Integer> grades,
                            @NotEmpty @Size(max = 5000) List<@NotNull @Pattern(regexp = "S[0-9]{9}") String> schoolIds,
                            @NotNull OffsetDateTime opensAt,
                            @NotNull OffsetDateTime closesAt,
                            @NotNull OffsetDateTime updatedAt) {
}
