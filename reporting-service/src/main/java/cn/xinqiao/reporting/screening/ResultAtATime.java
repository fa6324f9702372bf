package cn.xinqiao.reporting.screening;

import cn.xinqiao.reporting.domain.Risk;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.UUID;

/**
 * The screening read models moved by one result: its fact, its result cell, the student's campaign row (highest
 * risk wins) and risk cell; a result that replaces another (a conflict review) takes the replaced one's place.
 */
@ApplicationScoped
class ResultAtATime {

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.MANDATORY)
    void apply(ScreeningResultEvent r) {
        byte[] student = StudentHash.of(r.studentKey());
        int inserted = em.createNativeQuery("""
                        insert into screening_result (result_id, campaign_id, student_hash, school_id, district_code, grade, sex,
                            instrument_id, band, risk_rank, critical_item, mode, submitted_at, supersedes)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) on conflict (result_id) do nothing""")
                .setParameter(1, r.resultId()).setParameter(2, r.campaignId()).setParameter(3, student)
                .setParameter(4, r.schoolId()).setParameter(5, r.districtCode()).setParameter(6, r.grade())
                .setParameter(7, r.sex()).setParameter(8, r.instrumentId()).setParameter(9, r.band())
                .setParameter(10, Risk.valueOf(r.riskLevel()).rank()).setParameter(11, r.criticalItem()).setParameter(12, r.mode())
                .setParameter(13, r.submittedAt()).setParameter(14, r.supersedes()).executeUpdate();
        if (inserted == 0) {
            return; // this result is already counted (a redelivery under a new event id)
        }
        results(r.campaignId(), r.schoolId(), r.districtCode(), r.grade(), r.sex(), r.instrumentId(), r.band(), r.mode(), +1);
        if (r.supersedes() != null) {
            @SuppressWarnings("unchecked")
            List<Object[]> replaced = em.createNativeQuery("""
                            update screening_result set superseded = true where result_id = ?1 and not superseded
                            returning school_id, district_code, grade, sex, instrument_id, band, mode""")
                    .setParameter(1, r.supersedes()).getResultList();
            for (Object[] x : replaced) {
                results(r.campaignId(), (String) x[0], (String) x[1], ((Number) x[2]).intValue(), (String) x[3], (String) x[4],
                        (String) x[5], (String) x[6], -1);
            }
        }
        refreshStudent(r.campaignId(), student, r);
    }

    private void results(UUID campaign, String school, String district, int grade, String sex, String instrument, String band,
                         String mode, int delta) {
        em.createNativeQuery("""
                        insert into result_agg (campaign_id, school_id, district_code, grade, sex, instrument_id, band, mode, results)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                        on conflict (campaign_id, school_id, grade, sex, instrument_id, band, mode)
                        do update set results = result_agg.results + ?9""")
                .setParameter(1, campaign).setParameter(2, school).setParameter(3, district).setParameter(4, grade)
                .setParameter(5, sex).setParameter(6, instrument).setParameter(7, band).setParameter(8, mode)
                .setParameter(9, delta).executeUpdate();
        if (delta < 0) {
            em.createNativeQuery("""
                            delete from result_agg where campaign_id = ?1 and school_id = ?2 and grade = ?3 and sex = ?4
                            and instrument_id = ?5 and band = ?6 and mode = ?7 and results = 0""")
                    .setParameter(1, campaign).setParameter(2, school).setParameter(3, grade).setParameter(4, sex)
                    .setParameter(5, instrument).setParameter(6, band).setParameter(7, mode).executeUpdate();
        }
    }

    /**
     * The student's campaign row follows their counted results: the highest risk among results not
     * superseded. Moves the student between risk cells of student_agg when it changes.
     */
    private void refreshStudent(UUID campaign, byte[] student, ScreeningResultEvent r) {
        Object highest = em.createNativeQuery("""
                        select max(risk_rank) from screening_result where campaign_id = ?1 and student_hash = ?2 and not superseded""")
                .setParameter(1, campaign).setParameter(2, student).getSingleResult();
        Integer now = highest == null ? null : ((Number) highest).intValue();
        @SuppressWarnings("unchecked")
        List<Object[]> existing = em.createNativeQuery("""
                        select risk_rank, school_id, district_code, grade, sex from screened_student
                        where campaign_id = ?1 and student_hash = ?2 for update""")
                .setParameter(1, campaign).setParameter(2, student).getResultList();
        if (existing.isEmpty()) {
            if (now != null) {
                em.createNativeQuery("""
                                insert into screened_student (campaign_id, student_hash, school_id, district_code, grade, sex, risk_rank)
                                values (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                        .setParameter(1, campaign).setParameter(2, student).setParameter(3, r.schoolId())
                        .setParameter(4, r.districtCode()).setParameter(5, r.grade()).setParameter(6, r.sex())
                        .setParameter(7, now).executeUpdate();
                count(campaign, r.schoolId(), r.districtCode(), r.grade(), r.sex(), now, +1);
            }
            return;
        }
        Object[] row = existing.get(0);
        int before = ((Number) row[0]).intValue();
        if (now != null && now == before) {
            return;
        }
        String school = (String) row[1];
        String district = (String) row[2];
        int grade = ((Number) row[3]).intValue();
        String sex = (String) row[4];
        count(campaign, school, district, grade, sex, before, -1);
        if (now == null) {
            em.createNativeQuery("delete from screened_student where campaign_id = ?1 and student_hash = ?2")
                    .setParameter(1, campaign).setParameter(2, student).executeUpdate();
            return;
        }
        em.createNativeQuery("update screened_student set risk_rank = ?3 where campaign_id = ?1 and student_hash = ?2")
                .setParameter(1, campaign).setParameter(2, student).setParameter(3, now).executeUpdate();
        count(campaign, school, district, grade, sex, now, +1);
    }

    private void count(UUID campaign, String school, String district, int grade, String sex, int risk, int delta) {
        em.createNativeQuery("""
                        insert into student_agg (campaign_id, school_id, district_code, grade, sex, risk_rank, students)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                        on conflict (campaign_id, school_id, grade, sex, risk_rank) do update set students = student_agg.students + ?7""")
                .setParameter(1, campaign).setParameter(2, school).setParameter(3, district).setParameter(4, grade)
                .setParameter(5, sex).setParameter(6, risk).setParameter(7, delta).executeUpdate();
        if (delta < 0) {
            em.createNativeQuery("""
                            delete from student_agg where campaign_id = ?1 and school_id = ?2 and grade = ?3 and sex = ?4
                            and risk_rank = ?5 and students = 0""")
                    .setParameter(1, campaign).setParameter(2, school).setParameter(3, grade).setParameter(4, sex)
                    .setParameter(5, risk).executeUpdate();
        }
    }
}
