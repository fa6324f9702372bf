package cn.xinqiao.reporting.careloop;

import cn.xinqiao.platform.inbox.IncomingEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.List;

/**
 * screening.casework.v1 → {@code case_event} (one row per event) and {@code case_item} (one row per step or follow-up
 * it names). The reports derive everything at read time from these rows, so arrival order never matters and a
 * rebuild is a copy of the replayed rows.
 */
@ApplicationScoped
public class CareLoopProjection {

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(IncomingEvent event, CaseworkEvent e) {
        if (!e.reported()) {
            return;
        }
        int inserted = em.createNativeQuery("""
                        insert into case_event (event_id, case_id, school_id, district_code, kind, source, risk_level, opened, occurred_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) on conflict (event_id) do nothing""")
                .setParameter(1, event.id()).setParameter(2, e.caseId()).setParameter(3, e.schoolId()).setParameter(4, e.districtCode())
                .setParameter(5, e.kind()).setParameter(6, e.source()).setParameter(7, e.riskLevel())
                .setParameter(8, Boolean.TRUE.equals(e.opened())).setParameter(9, e.occurredAt()).executeUpdate();
        if (inserted == 0) {
            return;
        }
        List<CaseworkEvent.Item> items = e.items();
        for (int i = 0; i < items.size(); i++) {
            CaseworkEvent.Item it = items.get(i);
            em.createNativeQuery("""
                            insert into case_item (event_id, seq, case_id, school_id, district_code, item, code, by_whom, due_at, critical,
                                done_at, outcome, exception_code) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)""")
                    .setParameter(1, event.id()).setParameter(2, (short) i).setParameter(3, e.caseId()).setParameter(4, e.schoolId())
                    .setParameter(5, e.districtCode()).setParameter(6, it.item()).setParameter(7, it.code()).setParameter(8, it.by())
                    .setParameter(9, it.dueAt()).setParameter(10, it.critical()).setParameter(11, it.doneAt()).setParameter(12, it.outcome())
                    .setParameter(13, it.exceptionCode()).executeUpdate();
        }
    }
}
