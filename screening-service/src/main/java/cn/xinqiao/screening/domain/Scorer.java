package cn.xinqiao.screening.domain;

import java.util.ArrayList;
import java.util.List;

/** Scores answers by an instrument's definition. Pure: same instrument and answers, same score. */
public final class Scorer {

    private Scorer() {
    }

    /** @throws IllegalArgumentException if the answers do not fit the instrument (validate first) */
    public static Score score(Instrument instrument, int[] answers) {
        List<String> problems = instrument.problemsWith(answers);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0));
        }
        List<String> critical = new ArrayList<>();
        for (Instrument.CriticalItem rule : instrument.criticalItems()) {
            if (rule.item() <= answers.length && answers[rule.item() - 1] >= rule.minValue()) {
                critical.add(rule.code());
            }
        }
        return switch (instrument.kind()) {
            case SUM -> sum(instrument, answers, critical);
            case ASQ -> asq(instrument, answers, critical);
        };
    }

    private static Score sum(Instrument instrument, int[] answers, List<String> critical) {
        int total = 0;
        for (int answer : answers) {
            total += answer;
        }
        int finalTotal = total;
        String band = instrument.bands().stream().filter(b -> finalTotal >= b.min() && finalTotal <= b.max())
                .findFirst().orElseThrow(() -> new IllegalStateException(instrument.id() + " has no band for " + finalTotal))
                .id();
        return new Score(instrument.id(), instrument.version(), total, band, List.copyOf(critical));
    }

    /**
     * ASQ: a "yes" (1) or "declined" (2) on any of Q1-4 is positive; Q5 "yes" makes it acute. Q5 is only
     * asked after a positive Q1-4 (so four answers are a complete negative screen), but a "yes" there is never
     * ignored: it is acute whatever Q1-4 say. The total is the number of positive answers among Q1-4.
     */
    private static Score asq(Instrument instrument, int[] answers, List<String> critical) {
        int positives = 0;
        for (int i = 0; i < 4; i++) {
            if (answers[i] == 1 || answers[i] == 2) {
                positives++;
            }
        }
        boolean acute = answers.length > 4 && answers[4] == 1;
        String band = acute ? "acute-positive" : positives > 0 ? "positive" : "negative";
        return new Score(instrument.id(), instrument.version(), positives, band, List.copyOf(critical));
    }
}
