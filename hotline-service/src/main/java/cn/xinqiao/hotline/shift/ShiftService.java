package cn.xinqiao.hotline.shift;

import cn.xinqiao.hotline.domain.Coverage;
import cn.xinqiao.platform.outbox.Outbox;
import cn.xinqiao.platform.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** The 24/7 roster: shifts with their operators and supervisors, handover notes, and the gaps in coverage. */
@ApplicationScoped
@Transactional
public class ShiftService {

    public record Member(String subject, String displayName, String role) {
    }

    public record Handover(String author, String note, OffsetDateTime createdAt) {
    }

    public record ShiftView(UUID id, OffsetDateTime startsAt, OffsetDateTime endsAt, List<Member> members,
                            List<Handover> handovers) {
    }

    public record Gap(OffsetDateTime from, OffsetDateTime to, String missing) {
    }

    public record Roster(List<ShiftView> shifts, List<Gap> gaps) {
    }

    public static final String SHIFTS_TOPIC = "hotline.shifts.v1";
    public static final String SHIFTS_TYPE = "cn.xinqiao.hotline.shift.v1";

    /** hotline.shifts.v1: who is on a shift, by account and role (no display names): notification-service tells them. */
    public record ShiftEvent(UUID shiftId, String hotline, OffsetDateTime startsAt, OffsetDateTime endsAt, List<OnShift> members,
                             OffsetDateTime updatedAt) {
    }

    public record OnShift(String username, String role) {
    }

    @Inject
    Outbox outbox;

    public Shift create(String hotline, OffsetDateTime startsAt, OffsetDateTime endsAt, List<Member> members, String author,
                        OffsetDateTime now) {
        if (!endsAt.isAfter(startsAt) || endsAt.isAfter(startsAt.plusHours(24))) {
            throw Problem.unprocessable("shift-length", "a shift ends after it starts and lasts at most 24 hours");
        }
        if (members.stream().map(Member::subject).distinct().count() != members.size()) {
            throw Problem.unprocessable("duplicate-member", "each person appears once per shift");
        }
        Shift shift = new Shift();
        shift.id = UUID.randomUUID();
        shift.hotline = hotline;
        shift.startsAt = startsAt;
        shift.endsAt = endsAt;
        shift.createdBy = author;
        shift.createdAt = now;
        shift.persist();
        for (Member m : members) {
            ShiftMember member = new ShiftMember();
            member.shiftId = shift.id;
            member.subject = m.subject();
            member.displayName = m.displayName();
            member.role = m.role();
            member.persist();
        }
        outbox.publish(SHIFTS_TOPIC, shift.id.toString(), SHIFTS_TYPE, shift.id.toString(), new ShiftEvent(shift.id, hotline, startsAt, endsAt,
                members.stream().map(m -> new OnShift(m.subject(), m.role())).toList(), now));
        return shift;
    }

    public void handover(Shift shift, String author, String note, OffsetDateTime now) {
        HandoverNote h = new HandoverNote();
        h.id = UUID.randomUUID();
        h.shiftId = shift.id;
        h.author = author;
        h.note = note.strip();
        h.createdAt = now;
        h.persist();
    }

    public boolean isMember(UUID shiftId, String subject) {
        return ShiftMember.count("shiftId = ?1 and subject = ?2", shiftId, subject) > 0;
    }

    /** Shifts overlapping [from, to) and the stretches with no operator or no supervisor on duty. */
    public Roster roster(String hotline, OffsetDateTime from, OffsetDateTime to) {
        List<Shift> shifts = Shift.list("hotline = ?1 and endsAt > ?2 and startsAt < ?3 order by startsAt", hotline, from, to);
        List<UUID> ids = shifts.stream().map(s -> s.id).toList();
        Map<UUID, List<ShiftMember>> members = ids.isEmpty() ? Map.of()
                : ShiftMember.<ShiftMember>list("shiftId in ?1 order by role desc, displayName", ids).stream()
                .collect(Collectors.groupingBy(m -> m.shiftId));
        Map<UUID, List<HandoverNote>> notes = ids.isEmpty() ? Map.of()
                : HandoverNote.<HandoverNote>list("shiftId in ?1 order by createdAt", ids).stream()
                .collect(Collectors.groupingBy(n -> n.shiftId));
        List<ShiftView> views = shifts.stream().map(s -> new ShiftView(s.id, s.startsAt, s.endsAt,
                members.getOrDefault(s.id, List.of()).stream().map(m -> new Member(m.subject, m.displayName, m.role)).toList(),
                notes.getOrDefault(s.id, List.of()).stream().map(n -> new Handover(n.author, n.note, n.createdAt)).toList())).toList();
        List<Gap> gaps = new java.util.ArrayList<>();
        for (String role : List.of("OPERATOR", "SUPERVISOR")) {
            List<Coverage.Interval> covered = shifts.stream()
                    .filter(s -> members.getOrDefault(s.id, List.of()).stream().anyMatch(m -> m.role.equals(role)))
                    .map(s -> new Coverage.Interval(s.startsAt.toInstant(), s.endsAt.toInstant())).toList();
            for (Coverage.Interval gap : Coverage.gaps(covered, from.toInstant(), to.toInstant())) {
                gaps.add(new Gap(gap.start().atOffset(ZoneOffset.UTC), gap.end().atOffset(ZoneOffset.UTC), role));
            }
        }
        gaps.sort(java.util.Comparator.comparing(Gap::from));
        return new Roster(views, gaps);
    }
}
