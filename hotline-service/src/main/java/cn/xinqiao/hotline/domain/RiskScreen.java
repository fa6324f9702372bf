package cn.xinqiao.hotline.domain;

/**
 * The operator's risk questions, modelled on the ASQ (Ask Suicide-Screening Questions, NIMH) asked in
 * conversation, plus the operator's view of the caller's distress. Pure function; the level the operator
 * records may be raised above this, never lowered below it.
 *
 * <ol>
 *   <li>最近几周，你是否希望自己死了？ / In the past few weeks, have you wished you were dead?</li>
 *   <li>最近几周，你是否觉得如果你死了，你或你的家人会更好？ / … felt that you or your family would be better off if you were dead?</li>
 *   <li>最近一周，你是否有过想要自杀的念头？ / In the past week, have you been having thoughts about killing yourself?</li>
 *   <li>你是否曾经尝试过自杀？ / Have you ever tried to kill yourself?</li>
 *   <li>（任一为"是"时）你现在有想要自杀的念头吗？ / (if any yes) Are you having thoughts of killing yourself right now?</li>
 * </ol>
 */
public final class RiskScreen {

    public enum Level { NONE, LOW, MODERATE, HIGH, CRITICAL;

        public static Level max(Level a, Level b) {
            return a.compareTo(b) >= 0 ? a : b;
        }
    }

    public enum Distress { NONE, MILD, MODERATE, SEVERE }

    /** Answers as given; null means not asked (yet). */
    public record Answers(Boolean wishedDead, Boolean betterOffDead, Boolean suicidalThoughts, Boolean triedBefore,
                          Boolean thoughtsNow, Distress distress) {
    }

    private RiskScreen() {
    }

    /**
     * Acute positive (thoughts right now) → CRITICAL; any of questions 1–4 positive → HIGH (a non-acute positive
     * screen); otherwise the operator's distress rating: severe → HIGH, moderate → MODERATE, mild → LOW.
     */
    public static Level assess(Answers a) {
        if (a == null) {
            return Level.NONE;
        }
        if (yes(a.thoughtsNow())) {
            return Level.CRITICAL;
        }
        if (yes(a.wishedDead()) || yes(a.betterOffDead()) || yes(a.suicidalThoughts()) || yes(a.triedBefore())) {
            return Level.HIGH;
        }
        if (a.distress() == null) {
            return Level.NONE;
        }
        return switch (a.distress()) {
            case SEVERE -> Level.HIGH;
            case MODERATE -> Level.MODERATE;
            case MILD -> Level.LOW;
            case NONE -> Level.NONE;
        };
    }

    private static boolean yes(Boolean b) {
        return Boolean.TRUE.equals(b);
    }
}
