package cn.xinqiao.screening.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * A versioned questionnaire definition (built in from {@code instruments/*.json}, or uploaded and published by a
 * platform admin): wording in zh-CN and en, answer options, scoring kind, bands and critical-item rules, the licence
 * and its source. Instruments are data, not code: an instrument without a built-in risk rule maps each band to a risk
 * level in {@code risk}; {@code respondent} GUARDIAN marks a parent-report questionnaire the guardian completes with
 * the child's access code.
 */
public record Instrument(String id, String version, Kind kind, Text title, Text instructions, List<Option> options,
                         List<Item> items, List<Band> bands, List<CriticalItem> criticalItems, Text licence, Ages ages,
                         String respondent, java.util.Map<String, RiskLevel> risk, String source) {

    public boolean byGuardian() {
        return "GUARDIAN".equals(respondent);
    }

    public enum Kind {
        /** Sum of item values, bands by total (PHQ-9, PHQ-A, GAD-7). */
        SUM,
        /** ASQ: positive on any yes/declined in Q1-4, acute positive on Q5 yes. */
        ASQ
    }

    public record Text(String zh, String en) {
    }

    public record Option(int value, String zh, String en) {
    }

    /**
     * {@code askedWhen = "positive"}: the item is only asked after a non-zero answer to an earlier item (ASQ's
     * question 5, "are you having thoughts of killing yourself right now?", follows a yes or a declined answer to
     * questions 1–4). Such items come last and are left out of the answers when they were not asked.
     */
    public record Item(int n, String zh, String en, List<Option> options, String askedWhen) {
        public boolean conditional() {
            return "positive".equals(askedWhen);
        }
    }

    public record Band(String id, int min, int max, String zh, String en) {
    }

    /** A 1-based item whose answer at or above {@code minValue} is a critical finding whatever the total. */
    public record CriticalItem(int item, int minValue, String code) {
    }

    public record Ages(int min, int max) {
    }

    public List<Option> optionsFor(Item item) {
        return item.options() == null || item.options().isEmpty() ? options : item.options();
    }

    /**
     * How many items these answers call for: all of them, less the trailing conditional items that no earlier
     * answer triggered. (A form may still carry an answer to an item that was not required, e.g. a paper form
     * on which the student answered it anyway: every given answer is validated and scored.)
     */
    public int itemsAsked(int[] answers) {
        int asked = items.size();
        while (asked > 0 && items.get(asked - 1).conditional() && !anyPositive(answers, asked - 1)) {
            asked--;
        }
        return asked;
    }

    private static boolean anyPositive(int[] answers, int before) {
        for (int i = 0; i < Math.min(before, answers.length); i++) {
            if (answers[i] != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * One bad answer: the catalogue key of its message and the values it names (a problem-details catalogue turns
     * it into the reader's language), and the message in English.
     */
    public record AnswerProblem(String key, List<Object> args, String english) {
    }

    /** One message per bad answer, in item order; empty when the answers fit the instrument. */
    public List<String> problemsWith(int[] answers) {
        return answerProblems(answers).stream().map(AnswerProblem::english).toList();
    }

    /** Each bad answer, in item order; empty when the answers fit the instrument. */
    public List<AnswerProblem> answerProblems(int[] answers) {
        List<AnswerProblem> problems = new ArrayList<>();
        if (answers == null) {
            problems.add(new AnswerProblem("answers.required", List.of(), "answers are required"));
            return problems;
        }
        int asked = itemsAsked(answers);
        if (answers.length != items.size() && answers.length != asked) {
            long withoutFollowUps = items.stream().filter(item -> !item.conditional()).count();
            if (withoutFollowUps == items.size()) {
                problems.add(new AnswerProblem("answers.count", List.of(id, items.size(), answers.length),
                        id + " has " + items.size() + " items but " + answers.length + " answers were given"));
            } else {
                String english = id + " has " + items.size() + " items (" + withoutFollowUps
                        + " when the follow-up question is not asked) but " + answers.length + " answers were given";
                boolean followUpMissing = answers.length == withoutFollowUps;
                problems.add(new AnswerProblem(followUpMissing ? "answers.follow-up-required" : "answers.count-with-follow-up",
                        List.of(id, items.size(), withoutFollowUps, answers.length), followUpMissing
                        ? english + ": after a non-zero answer to an earlier item, item " + items.size() + " must be answered too"
                        : english));
            }
            return problems;
        }
        for (int i = 0; i < answers.length; i++) {
            int value = answers[i];
            List<Option> allowed = optionsFor(items.get(i));
            if (allowed.stream().noneMatch(o -> o.value() == value)) {
                String options = allowed.stream().map(o -> String.valueOf(o.value())).toList().toString();
                problems.add(new AnswerProblem("answers.not-an-option", List.of(i, value, items.get(i).n(), options),
                        "answers[" + i + "]: " + value + " is not an option of item " + items.get(i).n() + " (allowed " + options + ")"));
            }
        }
        return problems;
    }
}
