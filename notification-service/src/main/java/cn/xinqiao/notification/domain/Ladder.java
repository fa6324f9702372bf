package cn.xinqiao.notification.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The escalation ladder of one alert: first the organisation's on-call people in order, one per step, then its
 * lead, then the bureau's duty officer (the first person on call at the bureau of the alert's area). Each step
 * tells the next person who has not been told yet, so a rota edited mid-ladder never tells someone twice; when
 * nobody is left the ladder ends. A non-critical alert stops after its first step.
 */
public final class Ladder {

    public enum Rung { ON_CALL, LEAD, BUREAU }

    public record Next(Rung rung, String recipient) {
    }

    private Ladder() {
    }

    /**
     * @param org    the organisation's on-call list (empty list if it has none)
     * @param bureau the bureau's on-call list (null if none, or if the organisation is that bureau)
     * @param told   everyone already told about this alert
     */
    public static Optional<Next> next(OnCall org, OnCall bureau, Set<String> told, Instant at) {
        for (String person : org.onCallAt(at)) {
            if (!told.contains(person)) {
                return Optional.of(new Next(Rung.ON_CALL, person));
            }
        }
        if (org.lead() != null && !told.contains(org.lead())) {
            return Optional.of(new Next(Rung.LEAD, org.lead()));
        }
        if (bureau != null) {
            List<String> duty = bureau.onCallAt(at);
            if (duty.isEmpty() && bureau.lead() != null) {
                duty = List.of(bureau.lead());
            }
            for (String person : duty) {
                if (!told.contains(person)) {
                    return Optional.of(new Next(Rung.BUREAU, person));
                }
                break; // the duty officer is the first on call; the rest of the bureau is not paged
            }
        }
        return Optional.empty();
    }
}
