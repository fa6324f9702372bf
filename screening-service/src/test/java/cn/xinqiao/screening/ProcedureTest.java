package cn.xinqiao.screening;

import cn.xinqiao.screening.domain.Instrument;
import cn.xinqiao.screening.domain.Procedure.Escalation;
import cn.xinqiao.screening.domain.Procedure;
import cn.xinqiao.screening.domain.RiskLevel;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcedureTest {

    static final OffsetDateTime OPENED = OffsetDateTime.parse("2026-12-04T08:00:00+08:00");

    static Procedure standard() throws Exception {
        try (InputStream in = ProcedureTest.class.getResourceAsStream("/procedures/default.json")) {
            return new ObjectMapper().registerModule(new JavaTimeModule()).readValue(in, Procedure.class);
        }
    }

    @Test
    void aCriticalCaseNeedsTheSafetyLeadAtOnceTheGuardianAndTheReferralWithinAnHourAndASafetyPlanWithinADay() throws Exception {
        List<Procedure.Scheduled> steps = standard().schedule(RiskLevel.CRITICAL, OPENED);
        assertEquals(List.of("STAY_AND_INFORM_SAFETY_LEAD", "GUARDIAN_CONTACTED", "REFERRAL_SENT", "SAFETY_PLAN"),
                steps.stream().map(Procedure.Scheduled::code).toList());
        assertEquals(OPENED.plusMinutes(15), steps.get(0).dueAt());
        assertEquals(OPENED.plusHours(1), steps.get(1).dueAt());
        assertEquals(OPENED.plusHours(1), steps.get(2).dueAt());
        assertEquals(OPENED.plusHours(24), steps.get(3).dueAt());
        assertTrue(steps.stream().allMatch(Procedure.Scheduled::critical));
    }

    @Test
    void highAndModerateCasesHaveTheirOwnClocks() throws Exception {
        Procedure p = standard();
        assertEquals(List.of(OPENED.plusHours(24), OPENED.plusHours(24), OPENED.plusDays(3)),
                p.schedule(RiskLevel.HIGH, OPENED).stream().map(Procedure.Scheduled::dueAt).toList());
        assertEquals(List.of(OPENED.plusDays(7), OPENED.plusDays(30)),
                p.schedule(RiskLevel.MODERATE, OPENED).stream().map(Procedure.Scheduled::dueAt).toList());
        assertEquals(List.of(), p.schedule(RiskLevel.LOW, OPENED), "no procedure below MODERATE");
    }

    @Test
    void aRaisedCaseGetsTheNewLevelsMissingStepsDueFromTheRaise() throws Exception {
        OffsetDateTime raised = OPENED.plusDays(2);
        List<Procedure.Scheduled> added = standard().raise(RiskLevel.CRITICAL, Set.of("COUNSELLING_SESSION", "REVIEW", "GUARDIAN_CONTACTED"), raised);
        assertEquals(List.of("STAY_AND_INFORM_SAFETY_LEAD", "REFERRAL_SENT", "SAFETY_PLAN"), added.stream().map(Procedure.Scheduled::code).toList(),
                "a step the case already has keeps its own deadline");
        assertEquals(raised.plusMinutes(15), added.get(0).dueAt());
    }

    @Test
    void anOverdueStepGoesToTheSchoolAdminThenToTheBureauAndADoneStepNever() throws Exception {
        Procedure p = standard();
        OffsetDateTime due = OPENED.plusHours(1);
        assertEquals(Escalation.NONE, p.escalation(due, false, due.minusSeconds(1)));
        assertEquals(Escalation.SCHOOL_ADMIN, p.escalation(due, false, due));
        assertEquals(Escalation.SCHOOL_ADMIN, p.escalation(due, false, due.plusHours(24).minusSeconds(1)));
        assertEquals(Escalation.BUREAU, p.escalation(due, false, due.plusHours(24)));
        assertEquals(Escalation.NONE, p.escalation(due, true, due.plusDays(10)));
    }

    @Test
    void aProcedureWithRepeatedStepsOrNoDeadlineIsRefused() {
        Instrument.Text title = new Instrument.Text("步骤", "step");
        assertThrows(IllegalArgumentException.class, () -> new Procedure("1", Duration.ofHours(1), Map.of(RiskLevel.HIGH,
                List.of(new Procedure.Step("A", title, Duration.ofHours(1), false), new Procedure.Step("A", title, Duration.ofHours(2), false)))));
        assertThrows(IllegalArgumentException.class, () -> new Procedure("1", Duration.ofHours(1), Map.of(RiskLevel.HIGH,
                List.of(new Procedure.Step("A", title, null, false)))));
        assertThrows(IllegalArgumentException.class, () -> new Procedure("1", Duration.ZERO, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new Procedure(" ", Duration.ofHours(1), Map.of()));
    }
}
