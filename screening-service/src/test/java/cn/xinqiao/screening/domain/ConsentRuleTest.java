package cn.xinqiao.screening.domain;

import cn.xinqiao.screening.domain.ConsentRule.Decision;
import cn.xinqiao.screening.domain.ConsentRule.Standing;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsentRuleTest {

    static final LocalDate DAY = LocalDate.of(2026, 12, 4);
    final ConsentRule pipl = new ConsentRule(14);

    @Test
    void underFourteenAGuardiansGrantIsRequiredFromFourteenOnlyADeclineStops() {
        LocalDate thirteen = DAY.minusYears(14).plusDays(1);   // 14 tomorrow
        LocalDate fourteen = DAY.minusYears(14);               // 14 today
        assertEquals(Standing.AWAITING_GUARDIAN, pipl.standing(null, thirteen, DAY));
        assertEquals(Standing.MAY_SCREEN, pipl.standing(null, fourteen, DAY));
        assertEquals(Standing.MAY_SCREEN, pipl.standing(Decision.GRANTED, thirteen, DAY));
        assertEquals(Standing.AWAITING_GUARDIAN, pipl.standing(null, null, DAY), "no birth date counts as under the limit");
        for (LocalDate born : Arrays.asList(thirteen, fourteen, null)) {
            assertEquals(Standing.DECLINED, pipl.standing(Decision.DECLINED, born, DAY), "a decline always wins");
            assertEquals(Standing.WITHDRAWN, pipl.standing(Decision.WITHDRAWN, born, DAY), "so does a withdrawal");
        }
        ConsentRule optOut = new ConsentRule(0);
        assertEquals(Standing.MAY_SCREEN, optOut.standing(null, thirteen, DAY));
        assertEquals(Standing.DECLINED, optOut.standing(Decision.DECLINED, thirteen, DAY));
        assertThrows(IllegalArgumentException.class, () -> new ConsentRule(19));
    }

    @Test
    void onlyADeclineOrAWithdrawalCountsAsNotConsentingInCoverage() {
        assertTrue(Standing.DECLINED.notConsenting() && Standing.WITHDRAWN.notConsenting());
        assertFalse(Standing.AWAITING_GUARDIAN.notConsenting() || Standing.MAY_SCREEN.notConsenting());
        assertTrue(Standing.MAY_SCREEN.allowed());
        assertFalse(Standing.AWAITING_GUARDIAN.allowed() || Standing.DECLINED.allowed() || Standing.WITHDRAWN.allowed());
    }

    @Test
    void aGrantIsWithdrawnNotDeclinedAndADeclineOrWithdrawalStandsUntilANewGrant() {
        List<Decision> all = Arrays.asList(null, Decision.GRANTED, Decision.DECLINED, Decision.WITHDRAWN);
        StringBuilder allowed = new StringBuilder();
        for (Decision previous : all) {
            for (Decision next : List.of(Decision.values())) {
                if (ConsentRule.mayFollow(previous, next)) {
                    allowed.append(previous).append("->").append(next).append(' ');
                }
            }
        }
        assertEquals("null->GRANTED null->DECLINED GRANTED->WITHDRAWN DECLINED->GRANTED WITHDRAWN->GRANTED ", allowed.toString());
    }

    @Test
    void aSchoolYearRunsFromAugustToJulyInChinaTime() {
        assertEquals(2026, SchoolYear.of(LocalDate.of(2026, 8, 1)).startYear());
        assertEquals(2025, SchoolYear.of(LocalDate.of(2026, 7, 31)).startYear());
        assertEquals(2025, SchoolYear.of(LocalDate.of(2026, 2, 20)).startYear());
        assertEquals(2026, SchoolYear.of(OffsetDateTime.parse("2026-07-31T16:30:00Z")).startYear(), "00:30 on 1 August in Beijing");
        assertEquals("2026-2027", new SchoolYear(2026).label());
        assertEquals(2026, SchoolYear.parse("2026-2027").startYear());
        assertEquals(2026, SchoolYear.parse("2026").startYear());
        for (String bad : Arrays.asList(null, "", "2026-2028", "26-27", "2026/2027", "abcd")) {
            assertNull(SchoolYear.parse(bad), String.valueOf(bad));
        }
    }
}
