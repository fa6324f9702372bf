package cn.xinqiao.reporting.referral;

import cn.xinqiao.platform.inbox.IncomingEvent;
import cn.xinqiao.reporting.referral.ReferralStatusEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * referral.status.v1 → every event, and per referral one row derived from all its events by
 * {@link #derive(String, String)}: the same SQL live (one referral) and on rebuild (all), so the
 * order events arrive in never matters (first accepted, first seen, highest risk, latest status).
 */
@ApplicationScoped
public class ReferralProjection {

    /** The referral rows of the green channel ({@code and}-conditions may narrow them); discharges without a referral are not referrals. */
    public static String derive(String events, String and) {
        return """
                select referral_id,
                       (array_agg(school_id order by occurred_at desc, event_id))[1],
                       (array_agg(district_code order by occurred_at desc, event_id))[1],
                       (array_agg(hospital_id order by occurred_at desc, event_id))[1],
                       (array_agg(hospital_id order by occurred_at, event_id) filter (where business_status = 'accepted'))[1],
                       (array['MODERATE','HIGH','CRITICAL'])[max(array_position(array['MODERATE','HIGH','CRITICAL']::varchar[], risk_level))],
                       (array_agg(status order by occurred_at desc, event_id))[1],
                       (array_agg(business_status order by occurred_at desc, event_id))[1],
                       min(requested_at),
                       min(occurred_at) filter (where business_status = 'accepted'),
                       min(occurred_at) filter (where business_status = 'seen'),
                       count(*) filter (where business_status = 'declined'),
                       count(*) filter (where business_status = 'no-show'),
                       count(*) filter (where escalation is not null),
                       count(*) filter (where escalation = 'BUREAU_ALERT'),
                       max(occurred_at)
                from %s where origin is null %s group by referral_id""".formatted(events, and);
    }

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(IncomingEvent event, ReferralStatusEvent s) {
        int inserted = em.createNativeQuery("""
                        insert into referral_event (event_id, referral_id, school_id, district_code, hospital_id, risk_level,
                            status, business_status, escalation, requested_at, occurred_at, origin, returned)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) on conflict (event_id) do nothing""")
                .setParameter(1, event.id()).setParameter(2, s.referralId()).setParameter(3, s.schoolId())
                .setParameter(4, s.districtCode()).setParameter(5, s.hospitalId()).setParameter(6, s.riskLevel())
                .setParameter(7, s.status()).setParameter(8, s.businessStatus()).setParameter(9, s.escalation())
                .setParameter(10, s.requestedAt()).setParameter(11, s.occurredAt()).setParameter(12, s.origin())
                .setParameter(13, s.returned()).executeUpdate();
        if (inserted == 0 || s.origin() != null) {
            return;
        }
        em.createNativeQuery("insert into referral_fact (" + derive("referral_event", "and referral_id = ?1") + ")" + """
                         on conflict (referral_id) do update set school_id = excluded.school_id,
                            district_code = excluded.district_code, hospital_id = excluded.hospital_id,
                            accepted_hospital_id = excluded.accepted_hospital_id, risk_level = excluded.risk_level,
                            status = excluded.status, business_status = excluded.business_status,
                            requested_at = excluded.requested_at, accepted_at = excluded.accepted_at,
                            first_visit_at = excluded.first_visit_at, declines = excluded.declines,
                            no_shows = excluded.no_shows, escalations = excluded.escalations,
                            bureau_alerts = excluded.bureau_alerts, last_event_at = excluded.last_event_at""")
                .setParameter(1, s.referralId()).executeUpdate();
    }
}
