package cn.xinqiao.reporting.careloop;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** screening.casework.v1 as reporting reads it (its own class; the contract is in contracts/). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CaseworkEvent(@NotNull @Pattern(regexp = "SCHEDULED|STEP_RECORDED|FOLLOW_UPS_PLANNED|FOLLOW_UP_RECORDED|CLOSED|STEP_OVERDUE|FOLLOW_UP_OVERDUE") String kind,
                            @NotNull UUID caseId,
                            @NotNull @Pattern(regexp = "S[0-9]{9}") String schoolId,
                            @NotNull @Pattern(regexp = "[1-8][0-9]{5}") String districtCode,
                            @NotNull @Pattern(regexp = "SCREENING|DAILY_WORK|TEACHER_REPORT|PARENT_REPORT|PEER_REPORT|HOTLINE|HOSPITAL_RETURN") String source,
                            @NotNull @Pattern(regexp = "NONE|LOW|MODERATE|HIGH|CRITICAL") String riskLevel,
                            Boolean opened,
                            @Size(max = 20) List<@Valid @NotNull Step> steps,
                            @Size(max = 10) List<@Valid @NotNull FollowUp> followUps,
                            @NotNull OffsetDateTime occurredAt) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Step(@NotNull @Pattern(regexp = "[A-Z_]{1,40}") String code, @NotNull OffsetDateTime dueAt, Boolean critical,
                       OffsetDateTime doneAt, @Pattern(regexp = "DONE|EXCEPTION") String outcome,
                       @Pattern(regexp = "[A-Z_]{1,24}") String exceptionCode) {
    }

    /**
     * An overdue escalation (STEP_OVERDUE, FOLLOW_UP_OVERDUE) tells a person; the reports already derive lateness from the
     * deadlines of the steps and follow-ups, so they keep no row for it.
     */
    public boolean reported() {
        return !kind.endsWith("_OVERDUE");
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FollowUp(@NotNull UUID followUpId, @NotNull LocalDate dueOn, @NotNull @Pattern(regexp = "SCHOOL|HOSPITAL") String by,
                           OffsetDateTime doneAt,
                           @Pattern(regexp = "SEEN|IMPROVED|UNCHANGED|WORSE|RE_REFER|MOVED_SCHOOL|UNREACHABLE") String outcome) {
    }

    /** Rows of {@code case_item}, in the event's order. */
    public record Item(String item, String code, String by, OffsetDateTime dueAt, Boolean critical, OffsetDateTime doneAt,
                       String outcome, String exceptionCode) {
    }

    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    public List<Item> items() {
        List<Item> items = new ArrayList<>();
        if (steps != null) {
            steps.forEach(s -> items.add(new Item("STEP", s.code(), null, s.dueAt(), s.critical(), s.doneAt(), s.outcome(), s.exceptionCode())));
        }
        if (followUps != null) {
            followUps.forEach(f -> items.add(new Item("FOLLOW_UP", f.followUpId().toString(), f.by(),
                    f.dueOn().plusDays(1).atStartOfDay(CHINA).toOffsetDateTime().minusSeconds(1), null, f.doneAt(), f.outcome(), null)));
        }
        return items;
    }
}
