package cn.xinqiao.reporting.directory;

import cn.xinqiao.platform.tenancy.Districts;
import cn.xinqiao.reporting.directory.CampaignEvent;
import cn.xinqiao.reporting.directory.HospitalEvent;
import cn.xinqiao.reporting.directory.SchoolEvent;
import cn.xinqiao.reporting.hotline.HotlineProjection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import java.util.List;

/** directory.schools.v1 (compacted) → schools and enrolment per school × grade × sex: the newest snapshot wins. */
@ApplicationScoped
public class DirectoryProjection {

    public record EnrolmentRow(String code, String name, int grade, String sex, long students) {
    }

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(SchoolEvent school) {
        int changed = em.createNativeQuery("""
                        insert into school_dim (school_id, name, district_code, city_code, total, source_time, closed_on)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                        on conflict (school_id) do update set name = excluded.name, district_code = excluded.district_code,
                            city_code = excluded.city_code, total = excluded.total, source_time = excluded.source_time,
                            closed_on = excluded.closed_on
                        where school_dim.source_time <= excluded.source_time""")
                .setParameter(1, school.schoolId()).setParameter(2, school.name()).setParameter(3, school.districtCode())
                .setParameter(4, school.cityCode()).setParameter(5, school.total()).setParameter(6, school.updatedAt())
                .setParameter(7, school.closedOn())
                .executeUpdate();
        if (changed == 0) {
            return; // an older snapshot arriving late changes nothing
        }
        em.createNativeQuery("delete from enrolment where school_id = ?1").setParameter(1, school.schoolId()).executeUpdate();
        for (SchoolEvent.Enrolment e : school.enrolment()) {
            em.createNativeQuery("insert into enrolment (school_id, grade, sex, students, not_consenting) values (?1, ?2, ?3, ?4, ?5)")
                    .setParameter(1, school.schoolId()).setParameter(2, e.grade()).setParameter(3, e.sex())
                    .setParameter(4, e.count()).setParameter(5, e.notConsentingOrNone()).executeUpdate();
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(HospitalEvent h) {
        em.createNativeQuery("""
                        insert into hospital_dim (hospital_id, name, district_code, source_time) values (?1, ?2, ?3, ?4)
                        on conflict (hospital_id) do update set name = excluded.name, district_code = excluded.district_code,
                            source_time = excluded.source_time
                        where hospital_dim.source_time <= excluded.source_time""")
                .setParameter(1, h.hospitalId()).setParameter(2, h.name()).setParameter(3, h.districtCode())
                .setParameter(4, h.updatedAt()).executeUpdate();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CampaignEvent c) {
        int changed = em.createNativeQuery("""
                        insert into campaign_dim (campaign_id, name, owner_area, instruments, grades, opens_at, closes_at, source_time)
                        values (?1, ?2, ?3, cast(?4 as text[]), cast(?5 as smallint[]), ?6, ?7, ?8)
                        on conflict (campaign_id) do update set name = excluded.name, owner_area = excluded.owner_area,
                            instruments = excluded.instruments, grades = excluded.grades, opens_at = excluded.opens_at,
                            closes_at = excluded.closes_at, source_time = excluded.source_time
                        where campaign_dim.source_time <= excluded.source_time""")
                .setParameter(1, c.campaignId()).setParameter(2, c.name()).setParameter(3, c.ownerArea())
                .setParameter(4, HotlineProjection.pgArray(c.instruments()))
                .setParameter(5, HotlineProjection.pgArray(c.grades().stream().map(String::valueOf).toList()))
                .setParameter(6, c.opensAt()).setParameter(7, c.closesAt()).setParameter(8, c.updatedAt()).executeUpdate();
        if (changed == 0) {
            return;
        }
        em.createNativeQuery("delete from campaign_school where campaign_id = ?1").setParameter(1, c.campaignId()).executeUpdate();
        for (String school : new java.util.LinkedHashSet<>(c.schoolIds())) {
            em.createNativeQuery("insert into campaign_school (campaign_id, school_id, district_code) values (?1, ?2, ?3)")
                    .setParameter(1, c.campaignId()).setParameter(2, school).setParameter(3, Districts.countyOfSchool(school)).executeUpdate();
        }
    }

    /**
     * Enrolment under an area, grouped one level down: a city by county, a county by school, a school by
     * itself; always by grade and sex.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<EnrolmentRow> byArea(String level, String code) {
        String group = switch (level) {
            case "city" -> "d.district_code";
            case "county", "school" -> "d.school_id";
            default -> throw new IllegalArgumentException(level);
        };
        String filter = switch (level) {
            case "city" -> "d.city_code = ?1";
            case "county" -> "d.district_code = ?1";
            default -> "d.school_id = ?1";
        };
        String name = level.equals("city") ? "min(d.district_code)" : "min(d.name)";
        List<Tuple> rows = em.createNativeQuery("select " + group + " as code, " + name + " as name, e.grade, e.sex, sum(e.students) as students "
                + "from enrolment e join school_dim d on d.school_id = e.school_id where " + filter
                + " group by " + group + ", e.grade, e.sex order by 1, 3, 4", Tuple.class).setParameter(1, code).getResultList();
        return rows.stream().map(t -> new EnrolmentRow((String) t.get("code"), (String) t.get("name"),
                ((Number) t.get("grade")).intValue(), (String) t.get("sex"), ((Number) t.get("students")).longValue())).toList();
    }
}
