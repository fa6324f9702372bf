package cn.xinqiao.reporting.service;

import cn.xinqiao.reporting.messaging.SchoolEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import java.util.List;

/** Enrolment per school × grade × sex, from the compacted directory topic: the latest event wins. */
@ApplicationScoped
public class EnrolmentService {

    public record EnrolmentRow(String code, String name, int grade, String sex, long students) {
    }

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(SchoolEvent school) {
        int changed = em.createNativeQuery("""
                        insert into school_dim (school_id, name, district_code, city_code, total, source_time)
                        values (?1, ?2, ?3, ?4, ?5, ?6)
                        on conflict (school_id) do update set name = excluded.name, district_code = excluded.district_code,
                            city_code = excluded.city_code, total = excluded.total, source_time = excluded.source_time
                        where school_dim.source_time <= excluded.source_time""")
                .setParameter(1, school.schoolId()).setParameter(2, school.name()).setParameter(3, school.districtCode())
                .setParameter(4, school.cityCode()).setParameter(5, school.total()).setParameter(6, school.updatedAt())
                .executeUpdate();
        if (changed == 0) {
            return; // an older snapshot arriving late changes nothing
        }
        em.createNativeQuery("delete from enrolment where school_id = ?1").setParameter(1, school.schoolId()).executeUpdate();
        for (SchoolEvent.Enrolment e : school.enrolment()) {
            em.createNativeQuery("insert into enrolment (school_id, grade, sex, students) values (?1, ?2, ?3, ?4)")
                    .setParameter(1, school.schoolId()).setParameter(2, e.grade()).setParameter(3, e.sex())
                    .setParameter(4, e.count()).executeUpdate();
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
