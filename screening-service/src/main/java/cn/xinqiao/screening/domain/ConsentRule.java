package cn.xinqiao.screening.domain;

import java.time.LocalDate;
import java.time.Period;

/**
 * Whether a student may be screened this school year, from the guardian's latest decision (PIPL art. 31: a
 * guardian's consent for children under 14; art. 15: consent may be withdrawn at any time). A decline or a
 * withdrawal always wins. Under the age limit the guardian's recorded consent is required; from the limit on,
 * the student may take part unless the guardian declined. An unknown birth date counts as under the limit.
 */
public final class ConsentRule {

    public enum Decision { GRANTED, DECLINED, WITHDRAWN }

    public enum Standing {
        MAY_SCREEN, DECLINED, WITHDRAWN, AWAITING_GUARDIAN;

        public boolean allowed() {
            return this == MAY_SCREEN;
        }

        /** Counted apart from "not screened yet" in coverage: the student is not expected to answer. */
        public boolean notConsenting() {
            return this == DECLINED || this == WITHDRAWN;
        }
    }

    private final int guardianConsentUnder;

    /** @param guardianConsentUnder the age below which a guardian's consent is required (14 in PIPL; 0: always opt-out) */
    public ConsentRule(int guardianConsentUnder) {
        if (guardianConsentUnder < 0 || guardianConsentUnder > 18) {
            throw new IllegalArgumentException("guardian consent age must be between 0 and 18: " + guardianConsentUnder);
        }
        this.guardianConsentUnder = guardianConsentUnder;
    }

    public Standing standing(Decision latest, LocalDate birthDate, LocalDate on) {
        if (latest == Decision.DECLINED) {
            return Standing.DECLINED;
        }
        if (latest == Decision.WITHDRAWN) {
            return Standing.WITHDRAWN;
        }
        if (latest == Decision.GRANTED || guardianConsentUnder == 0) {
            return Standing.MAY_SCREEN;
        }
        boolean under = birthDate == null || Period.between(birthDate, on).getYears() < guardianConsentUnder;
        return under ? Standing.AWAITING_GUARDIAN : Standing.MAY_SCREEN;
    }

    /**
     * Which decisions may follow which: the first is a grant or a decline; a grant may only be withdrawn (a "decline"
     * after it would stop the screening without erasing what was given under the grant); a decline or a withdrawal
     * stands until a new grant.
     */
    public static boolean mayFollow(Decision previous, Decision next) {
        return switch (next) {
            case WITHDRAWN -> previous == Decision.GRANTED;
            case DECLINED -> previous == null;
            case GRANTED -> previous != Decision.GRANTED;
        };
    }
}
