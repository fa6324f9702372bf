package cn.xinqiao.screening.school;

import cn.xinqiao.platform.outbox.Outbox;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Districts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import cn.xinqiao.screening.domain.SchoolYear;
import java.util.List;

/** Schools and the compacted {@code directory.schools.v1} topic (enrolment counts, never names of people). */
@ApplicationScoped
@Transactional
public class DirectoryService {

    public static final String TOPIC = "directory.schools.v1";
    public static final String TYPE = "cn.xinqiao.directory.school.v1";

    /** {@code closedOn}: the day the directory closed the school; left out while it is open. */
    public record SchoolEvent(String schoolId, String name, String districtCode, String cityCode,
                              List<Enrolment> enrolment, int total,
                              @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                              java.time.LocalDate closedOn, OffsetDateTime updatedAt) {
    }

    public record Enrolment(int grade, String sex, int count, int notConsenting) {
    }

    @Inject
    Outbox outbox;

    @Inject
    EntityManager em;

    public School upsert(String id, String name, String districtCode, String stage) {
        return upsert(id, name, districtCode, stage, null);
    }

    /** Creates or renames a school, or closes it ({@code closedOn}) or opens it again (null). */
    public School upsert(String id, String name, String districtCode, String stage, java.time.LocalDate closedOn) {
        if (!Districts.countyOfSchool(id).equals(districtCode)) {
            throw Problem.unprocessable("school-outside-county",
                    "school id " + id + " does not belong to county " + districtCode);
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        School school = School.findById(id);
        if (school == null) {
            school = new School();
            school.id = id;
            school.createdAt = now;
        }
        school.name = name;
        school.districtCode = districtCode;
        school.cityCode = Districts.cityOf(districtCode);
        school.stage = stage;
        school.closedOn = closedOn;
        school.updatedAt = now;
        school.persist();
        announce(school);
        return school;
    }

    /**
     * Publishes the school's current enrolment, with the students whose guardians declined or withdrew consent this
     * school year (coverage counts them apart); call in the transaction that changed it.
     */
    public void announce(School school) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select s.grade, s.sex, count(*), count(*) filter (where g.decision in ('DECLINED', 'WITHDRAWN'))
                        from student s left join lateral (
                            select decision from guardian_consent where student_id = s.id and school_year = ?2
                            order by recorded_at desc, id limit 1) g on true
                        where s.school_id = ?1 group by s.grade, s.sex order by s.grade, s.sex""")
                .setParameter(1, school.id).setParameter(2, SchoolYear.of(java.time.LocalDate.now(SchoolYear.CHINA)).startYear())
                .getResultList();
        List<Enrolment> enrolment = new ArrayList<>();
        int total = 0;
        for (Object[] row : rows) {
            int count = ((Number) row[2]).intValue();
            enrolment.add(new Enrolment(((Number) row[0]).intValue(), (String) row[1], count, ((Number) row[3]).intValue()));
            total += count;
        }
        outbox.publish(TOPIC, school.id, TYPE, school.id, new SchoolEvent(school.id, school.name, school.districtCode,
                school.cityCode, enrolment, total, school.closedOn, OffsetDateTime.now(ZoneOffset.UTC)));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<School> visibleTo(java.util.function.Predicate<School> allowed) {
        return School.<School>listAll(io.quarkus.panache.common.Sort.by("id")).stream().filter(allowed).toList();
    }
}
