package cn.xinqiao.reporting.directory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.time.OffsetDateTime;
import java.util.List;

/** reporting-service's own view of directory.schools.v1 (it owns this class; the contract is in contracts/). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SchoolEvent(@NotNull @Pattern(regexp = "S[0-9]{9}") String schoolId,
                          @NotBlank String name,
                          @NotNull @Pattern(regexp = "[1-8][0-9]{5}") String districtCode,
                          @NotNull @Pattern(regexp = "[1-8][0-9]{5}") String cityCode,
                          @NotNull List<@Valid Enrolment> enrolment,
                          @Min(0) int total,
                          java.time.LocalDate closedOn,
                          @NotNull OffsetDateTime updatedAt) {

    /** {@code notConsenting}: of {@code count}, students whose guardians declined or withdrew consent this school year. */
    public record Enrolment(@Min(1) @Max(12) int grade, @NotNull @Pattern(regexp = "MALE|FEMALE|UNKNOWN") String sex,
                            @Min(0) int count, @Min(0) Integer notConsenting) {

        /** Absent from events published before consent was recorded: none. */
        public int notConsentingOrNone() {
            return notConsenting == null ? 0 : notConsenting;
        }
    }
}
