package cn.xinqiao.notification.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LadderTest {

    static Instant china(String dateTime) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(dateTime), OnCall.CHINA).toInstant();
    }

    static OnCall.Contact all(String who) {
        return new OnCall.Contact(who, "1234567", LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);
    }

    @Test
    void aWindowAcrossMidnightBelongsToTheDayItBegan() {
        // Friday 22:00 → Saturday 08:00, weekdays only
        OnCall.Contact night = new OnCall.Contact("night", "12345", LocalTime.of(22, 0), LocalTime.of(8, 0));
        assertEquals(true, night.covers(china("2026-12-04T23:30")));   // Friday night
        assertEquals(true, night.covers(china("2026-12-05T07:59")));   // Saturday morning, Friday's window
        assertEquals(false, night.covers(china("2026-12-05T08:00")));
        assertEquals(false, night.covers(china("2026-12-05T23:00")));  // Saturday night: not a weekday window
        assertEquals(false, night.covers(china("2026-12-07T03:00")));  // Monday 03:00 belongs to Sunday's window
        assertEquals(true, night.covers(china("2026-12-08T03:00")));   // Tuesday 03:00: Monday's window
        OnCall.Contact day = new OnCall.Contact("day", "12345", LocalTime.of(8, 0), LocalTime.of(18, 0));
        assertEquals(true, day.covers(china("2026-12-04T08:00")));
        assertEquals(false, day.covers(china("2026-12-04T18:00")));
        assertEquals(false, day.covers(china("2026-12-06T10:00")));   // Sunday
    }

    @Test
    void theLadderTellsEachOnCallPersonThenTheLeadThenTheBureauDutyOfficerThenStops() {
        Instant at = china("2026-12-04T02:00");
        OnCall hospital = new OnCall(List.of(all("a"), new OnCall.Contact("offduty", "1234567", LocalTime.of(8, 0), LocalTime.of(18, 0)),
                all("b"), all("a")), "lead");
        OnCall bureau = new OnCall(List.of(all("duty"), all("deputy")), null);
        Set<String> told = new HashSet<>();
        StringBuilder order = new StringBuilder();
        for (Optional<Ladder.Next> next = Ladder.next(hospital, bureau, told, at); next.isPresent(); next = Ladder.next(hospital, bureau, told, at)) {
            order.append(next.get().rung()).append(':').append(next.get().recipient()).append(' ');
            told.add(next.get().recipient());
        }
        assertEquals("ON_CALL:a ON_CALL:b LEAD:lead BUREAU:duty ", order.toString());
    }

    @Test
    void nobodyOnCallGoesStraightToTheLeadAndABureauWithNobodyOnCallToItsLead() {
        Instant at = china("2026-12-04T02:00");
        OnCall school = new OnCall(List.of(new OnCall.Contact("day", "12345", LocalTime.of(8, 0), LocalTime.of(17, 0))), "head");
        assertEquals(new Ladder.Next(Ladder.Rung.LEAD, "head"), Ladder.next(school, null, Set.of(), at).orElseThrow());
        OnCall bureau = new OnCall(List.of(), "director");
        assertEquals(new Ladder.Next(Ladder.Rung.BUREAU, "director"), Ladder.next(school, bureau, Set.of("head"), at).orElseThrow());
        assertEquals(Optional.empty(), Ladder.next(new OnCall(List.of(), null), null, Set.of(), at));
    }

    @Test
    void quietHoursHoldOnlyWhatIsNotCritical() {
        QuietHours night = new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0));
        Instant late = china("2026-12-04T23:10");
        assertEquals(china("2026-12-05T07:00"), night.releaseAt(late, Severity.HIGH));
        assertEquals(late, night.releaseAt(late, Severity.CRITICAL));
        assertEquals(china("2026-12-05T07:00"), night.releaseAt(china("2026-12-05T06:59"), Severity.NORMAL));
        Instant day = china("2026-12-05T12:00");
        assertEquals(day, night.releaseAt(day, Severity.NORMAL));
        assertEquals(day, new QuietHours(null, null).releaseAt(day, Severity.NORMAL));
    }

    @Test
    void retriesDoubleAndEnd() {
        Backoff b = new Backoff(3, java.time.Duration.ofSeconds(20));
        assertEquals(Optional.of(java.time.Duration.ofSeconds(20)), b.before(2));
        assertEquals(Optional.of(java.time.Duration.ofSeconds(40)), b.before(3));
        assertEquals(Optional.empty(), b.before(4));
    }
}
