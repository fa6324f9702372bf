package cn.xinqiao.notification.oncall;

import cn.xinqiao.notification.alerts.Times;
import cn.xinqiao.notification.domain.AlertSpec.OrgKind;
import cn.xinqiao.notification.domain.OnCall;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The on-call lists, stored as a row per organisation and a row per contact (in order). */
@ApplicationScoped
public class Rotas {

    /** A stored list: the contacts, the lead, whether a WeCom robot is set (its key is never read back), its version. */
    public record Stored(String orgId, OrgKind kind, OnCall onCall, String wecomRobotKey, int version, OffsetDateTime updatedAt,
                         String updatedBy) {
    }

    @Inject
    EntityManager em;

    @Inject
    HotlineShifts shifts;

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Stored> find(String orgId) {
        @SuppressWarnings("unchecked")
        List<Object[]> head = em.createNativeQuery(
                        "select kind, lead, wecom_robot_key, version, updated_at, updated_by from on_call_rota where org_id = ?1")
                .setParameter(1, orgId).getResultList();
        if (head.isEmpty()) {
            return Optional.empty();
        }
        Object[] h = head.get(0);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "select username, days, from_time, to_time from on_call_contact where org_id = ?1 order by position")
                .setParameter(1, orgId).getResultList();
        List<OnCall.Contact> contacts = new ArrayList<>();
        for (Object[] r : rows) {
            contacts.add(new OnCall.Contact((String) r[0], (String) r[1], Times.localTime(r[2]), Times.localTime(r[3])));
        }
        return Optional.of(new Stored(orgId, OrgKind.valueOf((String) h[0]), new OnCall(contacts, (String) h[1]), (String) h[2],
                ((Number) h[3]).intValue(), Times.odt(h[4]), (String) h[5]));
    }

    /** The list, or an empty one: an organisation without a list has nobody on call and no lead. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public OnCall onCall(String orgId) {
        return find(orgId).map(Stored::onCall).orElse(new OnCall(List.of(), null));
    }

    /**
     * Who is on call at that instant: for a hotline, the people on shift first (supervisors, then operators), then its
     * own list; for any other organisation its list.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public OnCall onCall(String orgId, java.time.Instant at) {
        OnCall list = onCall(orgId);
        if (!orgId.startsWith("HL")) {
            return list;
        }
        List<OnCall.Contact> contacts = new ArrayList<>();
        for (String person : shifts.onShift(orgId.substring(2), at)) {
            contacts.add(new OnCall.Contact(person, "1234567", LocalTime.MIDNIGHT, LocalTime.MIDNIGHT)); // on shift now
        }
        contacts.addAll(list.contacts());
        return new OnCall(contacts, list.lead());
    }

    /** Replaces the list; {@code wecomRobotKey} null keeps the stored key, blank removes it. Returns the new version. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int replace(String orgId, OrgKind kind, OnCall onCall, String wecomRobotKey, String by, OffsetDateTime now) {
        Number version = (Number) em.createNativeQuery("""
                        insert into on_call_rota (org_id, kind, lead, wecom_robot_key, version, updated_at, updated_by)
                        values (?1, ?2, cast(?3 as varchar), nullif(cast(?4 as varchar), ''), 1, ?5, ?6)
                        on conflict (org_id) do update set lead = excluded.lead,
                            wecom_robot_key = case when cast(?4 as varchar) is null then on_call_rota.wecom_robot_key
                                              else nullif(cast(?4 as varchar), '') end,
                            version = on_call_rota.version + 1, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                        returning version""")
                .setParameter(1, orgId).setParameter(2, kind.name()).setParameter(3, onCall.lead())
                .setParameter(4, wecomRobotKey).setParameter(5, now).setParameter(6, by).getSingleResult();
        em.createNativeQuery("delete from on_call_contact where org_id = ?1").setParameter(1, orgId).executeUpdate();
        int position = 0;
        for (OnCall.Contact c : onCall.contacts()) {
            em.createNativeQuery("insert into on_call_contact (org_id, position, username, days, from_time, to_time) values (?1, ?2, ?3, ?4, ?5, ?6)")
                    .setParameter(1, orgId).setParameter(2, position++).setParameter(3, c.username()).setParameter(4, c.days())
                    .setParameter(5, c.from()).setParameter(6, c.to()).executeUpdate();
        }
        return version.intValue();
    }
}
