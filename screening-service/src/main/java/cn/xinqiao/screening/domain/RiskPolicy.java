package cn.xinqiao.screening.domain;

import java.util.Objects;

/**
 * Turns an instrument's score into a risk level. Per deployment and versioned: the thresholds come from
 * configuration and the version is stamped on every result, so a later policy change never rewrites history.
 * The order of the checks is the clinical priority: a critical item always wins, whatever the total.
 */
public record RiskPolicy(String version, int phqHigh, int phqModerate, int phqLow,
                         int gadHigh, int gadModerate, int gadLow) {

    /** ARCHITECTURE §6 default policy. */
    public static RiskPolicy defaults() {
        return new RiskPolicy("2024.1", 20, 10, 5, 15, 10, 5);
    }

    public RiskPolicy {
        Objects.requireNonNull(version, "version");
        if (!(phqLow <= phqModerate && phqModerate <= phqHigh && gadLow <= gadModerate && gadModerate <= gadHigh)) {
            throw new IllegalArgumentException("risk thresholds must ascend: low <= moderate <= high");
        }
    }

    /** The risk of a score of this instrument: its band's level where the definition maps bands to levels, else the built-in rule. */
    public RiskAssessment assess(Score score, Instrument instrument) {
        if (instrument.risk() == null || instrument.risk().isEmpty() || score.hasCriticalItem()) {
            return assess(score);
        }
        RiskLevel level = instrument.risk().get(score.band());
        if (level == null) {
            throw new IllegalArgumentException("instrument " + instrument.id() + " maps no risk to band " + score.band());
        }
        return of(level, instrument.id().toLowerCase(java.util.Locale.ROOT) + ":band-" + score.band());
    }

    public RiskAssessment assess(Score score) {
        if (score.hasCriticalItem()) {
            return of(RiskLevel.CRITICAL, "critical-item:" + score.instrumentId() + ":" + score.criticalItems().get(0));
        }
        return switch (score.instrumentId()) {
            case "PHQ-9", "PHQ-A" -> byTotal(score, phqHigh, phqModerate, phqLow, "phq");
            case "GAD-7" -> byTotal(score, gadHigh, gadModerate, gadLow, "gad7");
            case "ASQ" -> switch (score.band()) {
                case "acute-positive" -> of(RiskLevel.CRITICAL, "asq:acute-positive");
                case "positive" -> of(RiskLevel.HIGH, "asq:non-acute-positive");
                default -> of(RiskLevel.NONE, "asq:negative");
            };
            default -> throw new IllegalArgumentException("no risk rule for instrument " + score.instrumentId());
        };
    }

    private RiskAssessment byTotal(Score score, int high, int moderate, int low, String prefix) {
        int total = score.total();
        if (total >= high) {
            return of(RiskLevel.HIGH, prefix + ":total-ge-" + high);
        }
        if (total >= moderate) {
            return of(RiskLevel.MODERATE, prefix + ":total-ge-" + moderate);
        }
        if (total >= low) {
            return of(RiskLevel.LOW, prefix + ":total-ge-" + low);
        }
        return of(RiskLevel.NONE, prefix + ":total-lt-" + low);
    }

    private RiskAssessment of(RiskLevel level, String rule) {
        return new RiskAssessment(level, rule, version);
    }
}
