package cn.xinqiao.screening.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * A versioned questionnaire definition, loaded from {@code instruments/*.json}: wording in zh-CN and en,
 * answer options, scoring kind, bands and critical-item rules. Instruments are data, not code.
 */
public record Instrument(String id, String version, Kind kind, Text title, Text instructions, List<Option> options,
                         List<Item> items, List<Band> bands, List<CriticalItem> criticalItems, Text licence, Ages ages) {

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

    public record Item(int n, String zh, String en, List<Option> options, String askedWhen) {
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

    /** One message per bad answer, in item order; empty when the answers fit the instrument. */
    public List<String> problemsWith(int[] answers) {
        List<String> problems = new ArrayList<>();
        if (answers == null) {
            problems.add("answers are required");
            return problems;
        }
        if (answers.length != items.size()) {
            problems.add(id + " has " + items.size() + " items but " + answers.length + " answers were given");
            return problems;
        }
        for (int i = 0; i < items.size(); i++) {
            int value = answers[i];
            List<Option> allowed = optionsFor(items.get(i));
            if (allowed.stream().noneMatch(o -> o.value() == value)) {
                problems.add("answers[" + i + "]: " + value + " is not an option of item " + items.get(i).n()
                        + " (allowed " + allowed.stream().map(o -> String.valueOf(o.value())).toList() + ")");
            }
        }
        return problems;
    }
}
