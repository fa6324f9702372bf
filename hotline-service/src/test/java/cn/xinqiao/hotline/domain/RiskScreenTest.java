package cn.xinqiao.hotline.domain;

import cn.xinqiao.hotline.domain.RiskScreen.Answers;
import cn.xinqiao.hotline.domain.RiskScreen.Distress;
import cn.xinqiao.hotline.domain.RiskScreen.Level;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RiskScreenTest {

    @Test
    void anAcuteYesIsCriticalWhateverElseWasSaid() {
        assertEquals(Level.CRITICAL, RiskScreen.assess(new Answers(false, false, false, false, true, Distress.NONE)));
        assertEquals(Level.CRITICAL, RiskScreen.assess(new Answers(null, null, null, null, true, null)));
    }

    @Test
    void anyOfTheFirstFourIsAPositiveScreen() {
        Boolean[][] oneYes = {{true, false, false, false}, {false, true, false, false}, {false, false, true, false}, {false, false, false, true}};
        for (Boolean[] q : oneYes) {
            assertEquals(Level.HIGH, RiskScreen.assess(new Answers(q[0], q[1], q[2], q[3], false, Distress.MILD)));
        }
    }

    @Test
    void withoutAPositiveScreenTheOperatorsDistressRatingDecides() {
        assertEquals(Level.HIGH, RiskScreen.assess(new Answers(false, false, false, false, false, Distress.SEVERE)));
        assertEquals(Level.MODERATE, RiskScreen.assess(new Answers(false, false, false, false, false, Distress.MODERATE)));
        assertEquals(Level.LOW, RiskScreen.assess(new Answers(false, false, false, false, false, Distress.MILD)));
        assertEquals(Level.NONE, RiskScreen.assess(new Answers(false, false, false, false, false, Distress.NONE)));
        assertEquals(Level.NONE, RiskScreen.assess(new Answers(null, null, null, null, null, null)));
        assertEquals(Level.NONE, RiskScreen.assess(null));
    }

    @Test
    void coverageGapsAreTheUncoveredStretches() {
        Instant t = Instant.parse("2026-11-23T00:00:00Z");
        List<Coverage.Interval> shifts = List.of(
                new Coverage.Interval(t, t.plusSeconds(8 * 3600)),
                new Coverage.Interval(t.plusSeconds(7 * 3600), t.plusSeconds(16 * 3600)),     // overlaps the first
                new Coverage.Interval(t.plusSeconds(18 * 3600), t.plusSeconds(30 * 3600)));  // runs past the window
        assertEquals(List.of(new Coverage.Interval(t.plusSeconds(16 * 3600), t.plusSeconds(18 * 3600))),
                Coverage.gaps(shifts, t, t.plusSeconds(24 * 3600)));
        assertEquals(List.of(new Coverage.Interval(t, t.plusSeconds(3600))), Coverage.gaps(List.of(), t, t.plusSeconds(3600)));
        assertEquals(List.of(new Coverage.Interval(t.plusSeconds(30 * 3600), t.plusSeconds(36 * 3600))),
                Coverage.gaps(shifts, t.plusSeconds(20 * 3600), t.plusSeconds(36 * 3600)));
    }
}
