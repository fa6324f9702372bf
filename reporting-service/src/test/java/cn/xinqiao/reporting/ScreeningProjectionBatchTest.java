package cn.xinqiao.reporting;

import cn.xinqiao.reporting.screening.ScreeningProjection;
import cn.xinqiao.reporting.screening.ScreeningResultEvent;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A poll applied set-based ({@link ScreeningProjection#applyAll}) leaves exactly the read models that applying the
 * same events one by one leaves: the same events go into two campaigns, one each way, and every table is compared.
 * The poll has a student whose risk rises, a student with two results in it, a result delivered twice and a
 * student whose second result is lower.
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
class ScreeningProjectionBatchTest {

    static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 2, 8, 0, 0, 0, ZoneOffset.UTC);

    @Inject
    ScreeningProjection projection;

    @Inject
    EntityManager em;

    record Spec(String student, String school, int grade, String sex, String instrument, String band, String risk) {
    }

    static List<Spec> earlier() {
        return List.of(new Spec("k-1", "S370811301", 7, "FEMALE", "PHQ-A", "minimal", "NONE"),
                new Spec("k-5", "S370811301", 8, "MALE", "PHQ-A", "moderately-severe", "HIGH"));
    }

    static List<Spec> poll() {
        return List.of(new Spec("k-1", "S370811301", 7, "FEMALE", "GAD-7", "severe", "HIGH"),      // rises: NONE -> HIGH
                new Spec("k-2", "S370811301", 7, "MALE", "PHQ-A", "moderate", "MODERATE"),          // two results in the poll
                new Spec("k-2", "S370811301", 7, "MALE", "GAD-7", "severe", "CRITICAL"),
                new Spec("k-3", "S370812301", 9, "FEMALE", "PHQ-A", "minimal", "NONE"),
                new Spec("k-4", "S370812301", 9, "FEMALE", "ASQ", "negative", "NONE"),
                new Spec("k-5", "S370811301", 8, "MALE", "GAD-7", "mild", "LOW"));                  // lower: stays HIGH
    }

    static List<ScreeningResultEvent> events(UUID campaign, List<Spec> specs, Function<Integer, UUID> resultIds) {
        List<ScreeningResultEvent> out = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            out.add(new ScreeningResultEvent(resultIds.apply(i), campaign, s.student() + "-" + "k".repeat(40), s.school(),
                    s.school().substring(1, 7), s.grade(), s.sex(), s.instrument(), "ONLINE", 5, s.band(), false, s.risk(),
                    T0.plusMinutes(i), null));
        }
        return out;
    }

    @Test
    void aPollAppliedTogetherEqualsTheSameEventsAppliedOneByOne() {
        UUID together = UUID.randomUUID();
        UUID oneByOne = UUID.randomUUID();
        for (UUID campaign : List.of(together, oneByOne)) {
            List<ScreeningResultEvent> before = events(campaign, earlier(), i -> UUID.randomUUID());
            QuarkusTransaction.requiringNew().run(() -> before.forEach(projection::apply));
        }
        List<UUID> ids = new ArrayList<>();
        poll().forEach(s -> ids.add(UUID.randomUUID()));
        List<ScreeningResultEvent> batch = new ArrayList<>(events(together, poll(), ids::get));
        batch.add(3, batch.get(2)); // the same result delivered twice within the poll
        QuarkusTransaction.requiringNew().run(() -> projection.applyAll(batch));
        List<ScreeningResultEvent> single = events(oneByOne, poll(), ids::get).stream()
                .map(e -> new ScreeningResultEvent(UUID.randomUUID(), e.campaignId(), e.studentKey(), e.schoolId(), e.districtCode(),
                        e.grade(), e.sex(), e.instrumentId(), e.mode(), e.totalScore(), e.band(), e.criticalItem(), e.riskLevel(),
                        e.submittedAt(), null)).toList();
        QuarkusTransaction.requiringNew().run(() -> single.forEach(projection::apply));

        assertSameReadModels(together, oneByOne);
        assertEquals(List.of("[S370811301, 370811, 7, FEMALE, 3, 1]", "[S370811301, 370811, 7, MALE, 4, 1]",
                        "[S370811301, 370811, 8, MALE, 3, 1]", "[S370812301, 370812, 9, FEMALE, 0, 2]"),
                rows("select school_id, district_code, grade, sex, risk_rank, students from student_agg where campaign_id = ?1", together),
                "by hand: k-1 moved from NONE to HIGH, k-2 CRITICAL, k-5 still HIGH, k-3 and k-4 NONE");
        assertEquals(List.of("[8]"), rows("select count(*) from screening_result where campaign_id = ?1", together),
                "2 earlier + 6 in the poll; the repeated result once");
    }

    /** A poll larger than one statement takes ({@code MOST_PER_STATEMENT}) is applied in parts, with the same outcome. */
    @Test
    void aLargePollInPartsEqualsTheSameEventsOneByOne() {
        UUID together = UUID.randomUUID();
        UUID oneByOne = UUID.randomUUID();
        List<Spec> specs = new ArrayList<>();
        String[] risks = {"NONE", "LOW", "MODERATE", "HIGH", "CRITICAL"};
        for (int i = 0; i < 1_300; i++) { // 700 students, most with two results, some rising across the parts' border
            specs.add(new Spec("s" + (i % 700), "S37081130" + (i % 3), 7 + i % 3, i % 2 == 0 ? "FEMALE" : "MALE",
                    i < 700 ? "PHQ-A" : "GAD-7", "mild", risks[(i * 7) % 5]));
        }
        List<UUID> ids = new ArrayList<>();
        specs.forEach(s -> ids.add(UUID.randomUUID()));
        List<ScreeningResultEvent> batch = events(together, specs, ids::get);
        QuarkusTransaction.requiringNew().run(() -> projection.applyAll(batch));
        List<ScreeningResultEvent> single = events(oneByOne, specs, i -> UUID.randomUUID());
        QuarkusTransaction.requiringNew().run(() -> single.forEach(projection::apply));
        assertSameReadModels(together, oneByOne);
        assertEquals(List.of("[700]"), rows("select count(*) from screened_student where campaign_id = ?1", together));
    }

    /** Every read model of the two campaigns, row for row (campaign ids aside). */
    private void assertSameReadModels(UUID together, UUID oneByOne) {
        for (String table : List.of(
                "select school_id, district_code, grade, sex, instrument_id, band, mode, results from result_agg where campaign_id = ?1",
                "select school_id, district_code, grade, sex, risk_rank, students from student_agg where campaign_id = ?1",
                "select encode(student_hash, 'hex'), school_id, district_code, grade, sex, risk_rank from screened_student where campaign_id = ?1",
                "select count(*) from screening_result where campaign_id = ?1")) {
            List<String> a = rows(table, together);
            assertFalse(a.isEmpty());
            assertEquals(rows(table, oneByOne), a, table);
        }
    }

    private List<String> rows(String sql, UUID campaign) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(sql).setParameter(1, campaign)
                .getResultList().stream().map(r -> r instanceof Object[] row ? java.util.Arrays.toString(row) : "[" + r + "]").sorted().toList());
    }
}
