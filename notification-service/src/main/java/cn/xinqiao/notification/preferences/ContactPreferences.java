package cn.xinqiao.notification.preferences;

import cn.xinqiao.notification.alerts.Times;
import cn.xinqiao.notification.domain.QuietHours;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A person's contact details and the order of outside channels to try. Read here only; never on a topic. */
@ApplicationScoped
public class ContactPreferences {

    public enum ChannelId { EMAIL, WECOM, SMS }

    public record Preference(String username, String email, String mobile, List<ChannelId> channels, QuietHours quiet,
                             OffsetDateTime updatedAt) {
    }

    /** Someone who never set preferences: e-mail only, and no address yet (in-app still reaches them). */
    public static Preference none(String username) {
        return new Preference(username, null, null, List.of(ChannelId.EMAIL), new QuietHours(null, null), null);
    }

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Preference> find(String username) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "select email, mobile, channels, quiet_from, quiet_to, updated_at from contact_preference where username = ?1")
                .setParameter(1, username).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = rows.get(0);
        List<ChannelId> channels = ((String) r[2]).isEmpty() ? List.of()
                : Arrays.stream(((String) r[2]).split(",")).map(ChannelId::valueOf).toList();
        return Optional.of(new Preference(username, (String) r[0], (String) r[1], channels, new QuietHours(Times.localTime(r[3]), Times.localTime(r[4])),
                Times.odt(r[5])));
    }

    public Preference of(String username) {
        return find(username).orElse(none(username));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void save(Preference p) {
        em.createNativeQuery("""
                        insert into contact_preference (username, email, mobile, channels, quiet_from, quiet_to, updated_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                        on conflict (username) do update set email = excluded.email, mobile = excluded.mobile, channels = excluded.channels,
                            quiet_from = excluded.quiet_from, quiet_to = excluded.quiet_to, updated_at = excluded.updated_at""")
                .setParameter(1, p.username()).setParameter(2, p.email()).setParameter(3, p.mobile())
                .setParameter(4, String.join(",", p.channels().stream().map(Enum::name).toList()))
                .setParameter(5, p.quiet().from()).setParameter(6, p.quiet().to()).setParameter(7, p.updatedAt()).executeUpdate();
    }
}
