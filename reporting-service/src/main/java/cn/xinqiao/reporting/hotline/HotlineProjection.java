package cn.xinqiao.reporting.hotline;

import cn.xinqiao.reporting.hotline.HotlineCallEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** hotline.calls.v1 → one row per closed call; reports group it by hour, day, channel, category, risk. */
@ApplicationScoped
public class HotlineProjection {

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(HotlineCallEvent c) {
        em.createNativeQuery("""
                        insert into hotline_call (call_id, started_at, ended_at, duration_seconds, channel, caller_type, age_band,
                            sex, district_code, school_id, categories, risk_level, actions, repeat_caller, escalated, callback_due_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, cast(?11 as text[]), ?12, cast(?13 as text[]), ?14, ?15, ?16)
                        on conflict (call_id) do nothing""")
                .setParameter(1, c.callId()).setParameter(2, c.startedAt()).setParameter(3, c.endedAt())
                .setParameter(4, c.durationSeconds()).setParameter(5, c.channel()).setParameter(6, c.callerType())
                .setParameter(7, c.ageBand()).setParameter(8, c.sex()).setParameter(9, c.districtCode())
                .setParameter(10, c.schoolId()).setParameter(11, pgArray(c.categories())).setParameter(12, c.riskLevel())
                .setParameter(13, pgArray(c.actions())).setParameter(14, c.repeatCaller())
                .setParameter(15, Boolean.TRUE.equals(c.escalated())).setParameter(16, c.callbackDueAt()).executeUpdate();
    }

    /** hotline.callbacks.v1 → when a promised callback was made and how it went (the first record of it wins). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(HotlineCallbackEvent c) {
        em.createNativeQuery("""
                        insert into hotline_callback (call_id, district_code, school_id, due_at, done_at, outcome)
                        values (?1, ?2, ?3, ?4, ?5, ?6) on conflict (call_id) do nothing""")
                .setParameter(1, c.callId()).setParameter(2, c.districtCode()).setParameter(3, c.schoolId()).setParameter(4, c.dueAt())
                .setParameter(5, c.doneAt()).setParameter(6, c.outcome()).executeUpdate();
    }

    /** A text[] literal; the values are contract-checked codes ([a-z.-] / upper-case enums), never free text. */
    public static String pgArray(java.util.List<String> values) {
        return "{" + String.join(",", values) + "}";
    }
}
