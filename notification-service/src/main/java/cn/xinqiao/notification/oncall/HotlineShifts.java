package cn.xinqiao.notification.oncall;

import cn.xinqiao.platform.inbox.EventInbox;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * hotline.shifts.v1 → who is on shift at the hotline. For the hotline's alerts the people on shift come first on the
 * ladder (supervisors, then operators), before the hotline's own on-call list and its lead.
 */
@ApplicationScoped
public class HotlineShifts {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Shift(@NotNull UUID shiftId, @NotNull @Pattern(regexp = "\\d{6}") String hotline, @NotNull OffsetDateTime startsAt,
                        @NotNull OffsetDateTime endsAt, @NotNull @Size(max = 50) List<@Valid @NotNull Member> members,
                        @NotNull OffsetDateTime updatedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Member(@NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._@-]{0,99}") String username,
                         @NotNull @Pattern(regexp = "OPERATOR|SUPERVISOR") String role) {
    }

    @Inject
    EventInbox inbox;

    @Inject
    EntityManager em;

    @Incoming("shifts")
    @Blocking
    public CompletionStage<Void> on(Message<String> message) {
        return inbox.consume(message, Shift.class, (event, s) -> em.createNativeQuery("""
                        insert into hotline_shift (shift_id, hotline, starts_at, ends_at, members, updated_at) values (?1, ?2, ?3, ?4, ?5, ?6)
                        on conflict (shift_id) do update set hotline = excluded.hotline, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
                            members = excluded.members, updated_at = excluded.updated_at where hotline_shift.updated_at <= excluded.updated_at""")
                .setParameter(1, s.shiftId()).setParameter(2, s.hotline()).setParameter(3, s.startsAt()).setParameter(4, s.endsAt())
                .setParameter(5, s.members().stream().map(m -> m.role() + ":" + m.username()).collect(Collectors.joining(",")))
                .setParameter(6, s.updatedAt()).executeUpdate());
    }

    /** The people on shift at the hotline at that instant: supervisors first, then operators, each once. */
    public List<String> onShift(String hotline, Instant at) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("select members from hotline_shift where hotline = ?1 and starts_at <= ?2 and ends_at > ?2 order by starts_at")
                .setParameter(1, hotline).setParameter(2, OffsetDateTime.ofInstant(at, ZoneOffset.UTC)).getResultList();
        List<String> supervisors = new ArrayList<>();
        List<String> operators = new ArrayList<>();
        for (String members : rows) {
            for (String m : members.split(",")) {
                String[] roleAndName = m.split(":", 2);
                if (roleAndName.length == 2) {
                    (roleAndName[0].equals("SUPERVISOR") ? supervisors : operators).add(roleAndName[1]);
                }
            }
        }
        supervisors.addAll(operators);
        return supervisors.stream().distinct().toList();
    }
}
