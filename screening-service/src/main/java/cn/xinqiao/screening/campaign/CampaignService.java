package cn.xinqiao.screening.campaign;

import cn.xinqiao.platform.outbox.Outbox;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.problem.ProblemDetails;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Districts;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.screening.domain.AccessCodeVault;
import cn.xinqiao.screening.domain.AccessCodes;
import cn.xinqiao.screening.instrument.InstrumentCatalog;
import cn.xinqiao.screening.roster.PlannerStatistics;
import cn.xinqiao.screening.school.School;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Campaigns: who is screened with what, when; one access code per enrolled student. */
@ApplicationScoped
@Transactional
public class CampaignService {

    public record NewCampaign(String name, List<String> instruments, List<String> schoolIds, List<Integer> grades,
                              OffsetDateTime opensAt, OffsetDateTime closesAt) {
    }

    public record ProgressRow(String schoolId, int grade, String className, long enrolled, long submitted,
                              long completed, long online, long paper) {
    }

    @Inject
    EntityManager em;

    @Inject
    InstrumentCatalog instruments;

    @Inject
    Caller caller;

    @Inject
    Outbox outbox;

    @Inject
    PlannerStatistics statistics;

    @Inject
    AccessCodeVault vault;

    public static final String CAMPAIGN_TOPIC = "directory.campaigns.v1";
    public static final String CAMPAIGN_TYPE = "cn.xinqiao.directory.campaign.v1";

    /** directory.campaigns.v1: the campaign's scope, so reporting can show coverage of schools with no answer yet. */
    public record CampaignEvent(UUID campaignId, String name, String ownerArea, List<String> instruments, List<Integer> grades,
                                List<String> schoolIds, OffsetDateTime opensAt, OffsetDateTime closesAt, OffsetDateTime updatedAt) {
    }

    @TransactionConfiguration(timeout = 1800) // a city-wide campaign issues a million codes in its transaction
    public Campaign create(NewCampaign input) {
        List<ProblemDetails.FieldError> errors = new ArrayList<>();
        java.util.Map<String, String> pinned = new java.util.LinkedHashMap<>();
        for (String id : input.instruments()) {
            instruments.find(id).ifPresentOrElse(i -> pinned.put(i.id(), i.version()),
                    () -> errors.add(new ProblemDetails.FieldError("instruments", "unknown instrument " + id)));
        }
        if (!input.closesAt().isAfter(input.opensAt())) {
            errors.add(new ProblemDetails.FieldError("closesAt", "must be after opensAt"));
        }
        if (!input.closesAt().isAfter(OffsetDateTime.now(ZoneOffset.UTC))) {
            errors.add(new ProblemDetails.FieldError("closesAt", "must be in the future"));
        }
        Set<String> districts = new LinkedHashSet<>();
        for (String schoolId : new LinkedHashSet<>(input.schoolIds())) {
            School school = School.findById(schoolId);
            if (school == null || !(caller.actsForSchool(schoolId) || caller.overseesCounty(school.districtCode))) {
                errors.add(new ProblemDetails.FieldError("schoolIds", "school " + schoolId + " is unknown or outside your scope"));
            } else if (school.closedOn != null) {
                errors.add(new ProblemDetails.FieldError("schoolIds", "school " + schoolId + " was closed on " + school.closedOn));
            } else {
                districts.add(school.districtCode);
            }
        }
        if (!errors.isEmpty()) {
            throw Problem.invalid("the campaign cannot be created", errors);
        }
        Campaign campaign = new Campaign();
        campaign.id = UUID.randomUUID();
        campaign.name = input.name();
        campaign.ownerArea = caller.districtCode().orElse(districts.size() == 1 ? districts.iterator().next()
                : cn.xinqiao.platform.tenancy.Districts.cityOf(districts.iterator().next()));
        campaign.instruments = input.instruments().stream().distinct().toArray(String[]::new);
        campaign.instrumentVersions = java.util.Arrays.stream(campaign.instruments).map(pinned::get).toArray(String[]::new);
        campaign.grades = input.grades().stream().distinct().sorted().toArray(Integer[]::new);
        campaign.opensAt = input.opensAt();
        campaign.schoolYear = cn.xinqiao.screening.domain.SchoolYear.of(input.opensAt()).startYear();
        campaign.closesAt = input.closesAt();
        campaign.createdBy = caller.subject();
        campaign.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        campaign.persist();
        for (String schoolId : new LinkedHashSet<>(input.schoolIds())) {
            CampaignSchool link = new CampaignSchool();
            link.campaignId = campaign.id;
            link.schoolId = schoolId;
            link.persist();
        }
        outbox.publish(CAMPAIGN_TOPIC, campaign.id.toString(), CAMPAIGN_TYPE, campaign.id.toString(), new CampaignEvent(campaign.id,
                campaign.name, campaign.ownerArea, List.of(campaign.instruments), List.of(campaign.grades),
                List.copyOf(new LinkedHashSet<>(input.schoolIds())), campaign.opensAt, campaign.closesAt, campaign.createdAt));
        em.flush();
        issueCodes(campaign);
        return campaign;
    }

    /**
     * Gives every enrolled student of the campaign's schools and grades a code (new students included); idempotent.
     * School by school, so a city-wide campaign (a million students: the city-wave benchmark) holds one school's ids
     * and one school's insert batch in memory at a time, not the city's.
     */
    public int issueCodes(Campaign campaign) {
        int issued = 0;
        for (String schoolId : schoolsOf(campaign.id)) {
            issued += issueCodes(campaign, schoolId);
        }
        statistics.refreshAfterBulkInsert("access_code", issued); // the slips are listed next: plan with these codes known
        return issued;
    }

    private int issueCodes(Campaign campaign, String schoolId) {
        // LATERAL makes the code lookup one probe of (campaign_id, student_id) per student. A NOT EXISTS anti-join
        // was planned as a scan of all the campaign's codes per student (the planner, knowing no codes of a new
        // campaign, expects one row): quadratic for a city-wide campaign, found by the city-wave benchmark.
        String missingQuery = """
                select s.id from student s
                left join lateral (select 1 as found from access_code a where a.campaign_id = ?3 and a.student_id = s.id limit 1) x on true
                where s.school_id = ?1 and s.grade = any(?2) and x.found is null""";
        List<UUID> missing = em.createNativeQuery(missingQuery, UUID.class)
                .setParameter(1, schoolId).setParameter(2, campaign.grades).setParameter(3, campaign.id).getResultList();
        if (missing.isEmpty()) {
            return 0;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into access_code (code_hash, code_sealed, campaign_id, student_id) values (?, ?, ?, ?) on conflict do nothing")) {
                for (UUID student : missing) {
                    String code = AccessCodes.next();
                    insert.setString(1, vault.hash(code));
                    insert.setBytes(2, vault.seal(code));
                    insert.setObject(3, campaign.id);
                    insert.setObject(4, student);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
        // A collision with an existing code (about 1 in 10^6 for a big city) left a student without one: retry.
        int stillMissing = em.createNativeQuery(missingQuery, UUID.class)
                .setParameter(1, schoolId).setParameter(2, campaign.grades).setParameter(3, campaign.id).getResultList().size();
        return stillMissing > 0 ? missing.size() - stillMissing + issueCodes(campaign, schoolId) : missing.size();
    }

    /** Replaces the student's code in this campaign (the old one stops working); returns the new code. */
    @Transactional(Transactional.TxType.MANDATORY)
    public String reissue(Campaign campaign, UUID studentId) {
        em.createNativeQuery("delete from access_code where campaign_id = ?1 and student_id = ?2")
                .setParameter(1, campaign.id).setParameter(2, studentId).executeUpdate();
        for (int attempt = 0; ; attempt++) {
            String code = AccessCodes.next();
            int inserted = em.createNativeQuery("""
                            insert into access_code (code_hash, code_sealed, campaign_id, student_id) values (?1, ?2, ?3, ?4)
                            on conflict (code_hash) do nothing""")
                    .setParameter(1, vault.hash(code)).setParameter(2, vault.seal(code)).setParameter(3, campaign.id)
                    .setParameter(4, studentId).executeUpdate();
            if (inserted == 1) {
                return code;
            }
            if (attempt > 10) {
                throw new IllegalStateException("no free access code after 10 draws");
            }
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> schoolsOf(UUID campaignId) {
        return em.createQuery("select cs.schoolId from CampaignSchool cs where cs.campaignId = ?1 order by cs.schoolId", String.class)
                .setParameter(1, campaignId).getResultList();
    }

    /** The campaign, if the caller may see it: staff of one of its schools, a bureau covering one of them, the platform admin. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Campaign visible(UUID campaignId) {
        Campaign campaign = Campaign.findById(campaignId);
        if (campaign == null || scopedSchools(campaign).isEmpty()) {
            throw Problem.notFound("campaign");
        }
        return campaign;
    }

    /** The campaign's schools the caller may see. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> scopedSchools(Campaign campaign) {
        List<String> out = new ArrayList<>();
        for (String schoolId : schoolsOf(campaign.id)) {
            if (caller.actsForSchool(schoolId) || caller.overseesCounty(Districts.countyOfSchool(schoolId)) || caller.syncsRosterOf(schoolId)) {
                out.add(schoolId);
            }
        }
        return out;
    }

    /** One query: campaigns with at least one school in the caller's scope (the same rule as {@link #scopedSchools}). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Campaign> visibleCampaigns() {
        if (caller.hasRole(Role.PLATFORM_ADMIN)) {
            return Campaign.list("order by opensAt desc");
        }
        String school = caller.hasAnyRole(Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN) ? caller.schoolId().orElse("") : "";
        String area = caller.hasRole(Role.BUREAU_ANALYST)
                ? caller.districtCode().map(cn.xinqiao.platform.tenancy.Districts::significantPrefix).orElse("-") : "-";
        return Campaign.list("""
                        id in (select cs.campaignId from CampaignSchool cs
                               where cs.schoolId = ?1 or substring(cs.schoolId, 2, 6) like concat(?2, '%'))
                        order by opensAt desc""", school, area);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ProgressRow> progress(Campaign campaign, List<String> schools) {
        List<Tuple> rows = em.createNativeQuery("""
                        with per_student as (
                            select s.school_id, s.grade, s.class_name, s.id,
                                   count(x.id) as counted,
                                   count(x.id) filter (where x.mode = 'ONLINE') as online,
                                   count(x.id) filter (where x.mode = 'PAPER') as paper
                            from access_code a
                            join student s on s.id = a.student_id
                            left join submission x on x.campaign_id = a.campaign_id and x.student_id = s.id and x.status = 'COUNTED'
                            where a.campaign_id = ?1 and s.school_id = any(?2)
                            group by s.school_id, s.grade, s.class_name, s.id)
                        select school_id, grade, class_name, count(*) as enrolled,
                               count(*) filter (where counted > 0) as submitted,
                               count(*) filter (where counted >= ?3) as completed,
                               sum(online) as online, sum(paper) as paper
                        from per_student group by school_id, grade, class_name order by 1, 2, 3""", Tuple.class)
                .setParameter(1, campaign.id).setParameter(2, schools.toArray(String[]::new))
                .setParameter(3, campaign.instruments.length).getResultList();
        return rows.stream().map(t -> new ProgressRow((String) t.get("school_id"), ((Number) t.get("grade")).intValue(),
                (String) t.get("class_name"), n(t, "enrolled"), n(t, "submitted"), n(t, "completed"), n(t, "online"),
                n(t, "paper"))).toList();
    }

    private static long n(Tuple t, String column) {
        Object v = t.get(column);
        return v == null ? 0 : ((Number) v).longValue();
    }
}
