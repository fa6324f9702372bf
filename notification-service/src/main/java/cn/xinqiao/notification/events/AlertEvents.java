package cn.xinqiao.notification.events;

import cn.xinqiao.notification.alerts.Alerts;
import cn.xinqiao.notification.directory.OrgNames;
import cn.xinqiao.notification.domain.AlertSpec;
import cn.xinqiao.notification.domain.Triggers;
import cn.xinqiao.platform.inbox.EventInbox;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The events that need a person, each applied through the idempotent inbox: the alerts they raise commit with the
 * inbox row, so a redelivered event tells nobody twice. This consumer's own view of each event: only the coded
 * fields the triggers read (no student key is read at all).
 */
@ApplicationScoped
public class AlertEvents {

    static final String DISTRICT = "\\d{6}";
    static final String SCHOOL = "S\\d{9}";
    static final String HOSPITAL = "H\\d{9}";

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReferralStatus(@NotNull UUID referralId, @Pattern(regexp = HOSPITAL) String hospitalId,
                                 @NotNull @Pattern(regexp = SCHOOL) String schoolId, @NotNull @Pattern(regexp = DISTRICT) String districtCode,
                                 @NotBlank String riskLevel, @NotBlank String status, @NotBlank String businessStatus, String escalation,
                                 String reasonCode, @NotNull OffsetDateTime occurredAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Casework(@NotBlank String kind, @NotNull UUID caseId, @NotNull @Pattern(regexp = SCHOOL) String schoolId,
                           @NotNull @Pattern(regexp = DISTRICT) String districtCode, @NotBlank String riskLevel, Boolean opened,
                           @Pattern(regexp = "SCHOOL_ADMIN|BUREAU") String escalatedTo, List<@Valid Step> steps,
                           List<@Valid FollowUp> followUps, @NotNull OffsetDateTime occurredAt) {

        /** The one step or follow-up an escalation or a record is about (null for the case as a whole). */
        String item() {
            if (kind.startsWith("STEP_") && steps != null && steps.size() == 1) {
                return steps.get(0).code();
            }
            if (kind.startsWith("FOLLOW_UP_") && followUps != null && followUps.size() == 1) {
                return followUps.get(0).followUpId().toString();
            }
            return null;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Step(@Pattern(regexp = "[A-Z_]{1,40}") String code, Boolean critical) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FollowUp(@NotNull UUID followUpId) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Call(@NotNull UUID callId, @Pattern(regexp = DISTRICT) String hotline, @NotBlank String riskLevel, Boolean escalated,
                       @Pattern(regexp = SCHOOL) String schoolId, @NotNull OffsetDateTime endedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Coverage(@NotNull @Pattern(regexp = DISTRICT) String hotline, @NotNull java.time.LocalDate date,
                           @NotNull List<@Valid Gap> gaps, @NotNull OffsetDateTime checkedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Gap(@NotNull OffsetDateTime from, @NotNull OffsetDateTime to, @NotBlank String missing) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Security(@NotBlank @Pattern(regexp = "LOGIN_FAILURE_SPIKE") String kind,
                           @NotNull @Size(min = 1, max = 50) List<@NotNull @Pattern(regexp = DISTRICT) String> cityCodes,
                           @PositiveOrZero int failures, @PositiveOrZero int successes,
                           @PositiveOrZero int networks, @PositiveOrZero int lockedNetworks,
                           @NotNull OffsetDateTime occurredAt) {
    }

    @Inject
    EventInbox inbox;

    @Inject
    Alerts alerts;

    @Inject
    OrgNames names;

    private Triggers triggers() {
        return new Triggers(names::name);
    }

    private void raise(UUID eventId, List<AlertSpec> specs, OffsetDateTime occurredAt) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (AlertSpec spec : specs) {
            alerts.raise(eventId, spec, occurredAt, now);
        }
    }

    @Incoming("referral-status")
    @Blocking
    public CompletionStage<Void> referral(Message<String> message) {
        return inbox.consume(message, ReferralStatus.class, (event, s) -> {
            Triggers.ReferralChange change = new Triggers.ReferralChange(s.referralId().toString(), s.hospitalId(), s.schoolId(),
                    s.districtCode(), s.riskLevel(), s.status(), s.businessStatus(), s.escalation(), s.reasonCode());
            List<String> settled = Triggers.settledBy(change);
            if (!settled.isEmpty()) {
                String by = "BACKUP_HOSPITAL".equals(s.escalation()) ? "referral:backup-hospital" : "referral:" + s.status();
                alerts.resolve(change.referralId(), settled, by, OffsetDateTime.now(ZoneOffset.UTC));
            }
            raise(event.id(), triggers().referral(change), s.occurredAt());
        });
    }

    @Incoming("casework")
    @Blocking
    public CompletionStage<Void> casework(Message<String> message) {
        return inbox.consume(message, Casework.class, (event, c) -> {
            boolean critical = c.steps() != null && c.steps().stream().anyMatch(s -> Boolean.TRUE.equals(s.critical()));
            Triggers.CaseChange change = new Triggers.CaseChange(c.kind(), c.caseId().toString(), c.schoolId(), c.districtCode(),
                    c.riskLevel(), Boolean.TRUE.equals(c.opened()), c.escalatedTo(), critical, c.item());
            for (Triggers.Settled settled : Triggers.settledBy(change)) {
                alerts.resolve(settled.subject(), List.of(settled.kind()), "case:" + c.kind().toLowerCase(java.util.Locale.ROOT),
                        OffsetDateTime.now(ZoneOffset.UTC));
            }
            raise(event.id(), triggers().casework(change), c.occurredAt());
        });
    }

    @Incoming("calls")
    @Blocking
    public CompletionStage<Void> call(Message<String> message) {
        return inbox.consume(message, Call.class, (event, c) -> raise(event.id(), triggers().call(new Triggers.ClosedCall(
                c.callId().toString(), c.hotline(), c.riskLevel(), Boolean.TRUE.equals(c.escalated()), c.schoolId())), c.endedAt()));
    }

    @Incoming("coverage")
    @Blocking
    public CompletionStage<Void> coverage(Message<String> message) {
        return inbox.consume(message, Coverage.class, (event, g) -> {
            Triggers.CoverageGap gap = new Triggers.CoverageGap(g.hotline(), g.date().toString(), g.gaps().size());
            // a newer answer about the same day replaces the older one (gaps filled, or different ones)
            alerts.resolve(Triggers.coverageSubject(gap), List.of("HOTLINE_COVERAGE_GAP"), "coverage:changed", OffsetDateTime.now(ZoneOffset.UTC));
            raise(event.id(), triggers().coverage(gap), g.checkedAt());
        });
    }

    @Incoming("security")
    @Blocking
    public CompletionStage<Void> security(Message<String> message) {
        return inbox.consume(message, Security.class, (event, s) -> raise(event.id(), triggers().loginSpike(new Triggers.LoginSpike(
                "login:" + s.occurredAt().toInstant(), s.cityCodes(), s.failures(), s.successes(), s.networks(), s.lockedNetworks())),
                s.occurredAt()));
    }
}
