package cn.xinqiao.reporting.directory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.OffsetDateTime;

/** reporting-service's view of directory.hospitals.v1. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HospitalEvent(@NotNull @Pattern(regexp = "H[0-9]{9}") String hospitalId,
                            @NotBlank @Size(max = 100) String name,
                            @NotNull @Pattern(regexp = "[1-8][0-9]{5}") String districtCode,
                            @NotNull OffsetDateTime updatedAt) {
}
