package cn.xinqiao.screening.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether an instrument definition can be used (plain Java): every problem names its field, so an admin uploading a
 * new questionnaire or version sees exactly what to fix. Items numbered 1..n with zh and en wording; options with
 * distinct values; bands contiguous from the lowest to the highest possible score; critical items on real items and
 * options; a licence in both languages and its source; ages; a risk level for every band unless a built-in rule exists.
 */
public final class InstrumentCheck {

    public record Problem(String field, String message) {
    }

    /** Instruments whose risk rule is built in (RiskPolicy): their definitions may leave {@code risk} out. */
    public static final Set<String> BUILT_IN_RULES = Set.of("PHQ-9", "PHQ-A", "GAD-7", "ASQ");

    private InstrumentCheck() {
    }

    public static List<Problem> problems(Instrument i) {
        List<Problem> out = new ArrayList<>();
        if (i.id() == null || !i.id().matches("[A-Z][A-Z0-9-]{1,9}")) {
            out.add(new Problem("id", "2–10 capitals, digits or hyphens, starting with a letter (PHQ-A, PSC-17)"));
        }
        if (i.version() == null || !i.version().matches("[0-9][0-9A-Za-z.-]{0,15}")) {
            out.add(new Problem("version", "starts with a digit, at most 16 letters, digits, dots or hyphens (1.0, 2.1-zh)"));
        }
        if (i.kind() == null) {
            out.add(new Problem("kind", "must be SUM or ASQ"));
        } else if (i.kind() == Instrument.Kind.ASQ && !"ASQ".equals(i.id())) {
            out.add(new Problem("kind", "ASQ scoring is the ASQ's own; other instruments are SUM"));
        }
        text(out, "title", i.title(), 100);
        text(out, "instructions", i.instructions(), 500);
        List<Instrument.Option> options = i.options() == null ? List.of() : i.options();
        if (options.size() < 2 || options.size() > 10) {
            out.add(new Problem("options", "2–10 answer options"));
        }
        options(out, "options", options);
        int max = 0;
        if (i.items() == null || i.items().isEmpty() || i.items().size() > 100) {
            out.add(new Problem("items", "1–100 items"));
        } else {
            for (int n = 0; n < i.items().size(); n++) {
                Instrument.Item item = i.items().get(n);
                String at = "items[" + n + "]";
                if (item.n() != n + 1) {
                    out.add(new Problem(at + ".n", "items are numbered 1, 2, 3 … in order: expected " + (n + 1)));
                }
                if (item.zh() == null || item.zh().isBlank() || item.zh().length() > 300 || item.en() == null || item.en().isBlank()) {
                    out.add(new Problem(at, "needs its wording in zh (≤ 300 characters) and en"));
                }
                if (item.askedWhen() != null && !item.conditional()) {
                    out.add(new Problem(at + ".askedWhen", "is 'positive' or left out"));
                }
                List<Instrument.Option> own = i.optionsFor(item);
                if (item.options() != null && !item.options().isEmpty()) {
                    options(out, at + ".options", item.options());
                }
                max += own.stream().mapToInt(Instrument.Option::value).max().orElse(0);
            }
        }
        if (i.kind() == Instrument.Kind.SUM) {
            bands(out, i.bands(), min(i), max);
        } else if (i.bands() == null || i.bands().isEmpty()) {
            out.add(new Problem("bands", "name the bands"));
        }
        if (i.criticalItems() != null) {
            for (int c = 0; c < i.criticalItems().size(); c++) {
                Instrument.CriticalItem ci = i.criticalItems().get(c);
                String at = "criticalItems[" + c + "]";
                if (i.items() == null || ci.item() < 1 || ci.item() > i.items().size()) {
                    out.add(new Problem(at + ".item", "is the number of one of the items"));
                } else if (i.optionsFor(i.items().get(ci.item() - 1)).stream().noneMatch(o -> o.value() == ci.minValue())) {
                    out.add(new Problem(at + ".minValue", "is one of the item's option values"));
                }
                if (ci.code() == null || !ci.code().matches("[a-z0-9-]{2,40}")) {
                    out.add(new Problem(at + ".code", "2–40 lower-case letters, digits or hyphens"));
                }
            }
        }
        text(out, "licence", i.licence(), 2000);
        if (i.source() == null || i.source().isBlank() || i.source().length() > 500) {
            out.add(new Problem("source", "where the instrument and its licence come from (a citation or an address, ≤ 500 characters)"));
        }
        if (i.ages() == null || i.ages().min() < 3 || i.ages().max() > 99 || i.ages().min() > i.ages().max()) {
            out.add(new Problem("ages", "min and max age, 3–99, min ≤ max"));
        }
        if (i.respondent() != null && !List.of("STUDENT", "GUARDIAN").contains(i.respondent())) {
            out.add(new Problem("respondent", "is STUDENT or GUARDIAN"));
        }
        if (i.id() != null && !BUILT_IN_RULES.contains(i.id()) && i.bands() != null) {
            for (int b = 0; b < i.bands().size(); b++) {
                if (i.risk() == null || i.risk().get(i.bands().get(b).id()) == null) {
                    out.add(new Problem("risk." + i.bands().get(b).id(), "give the risk level (NONE, LOW, MODERATE, HIGH, CRITICAL) of every band"));
                }
            }
        }
        return out;
    }

    private static int min(Instrument i) {
        if (i.items() == null) {
            return 0;
        }
        return i.items().stream().mapToInt(item -> i.optionsFor(item).stream().mapToInt(Instrument.Option::value).min().orElse(0)).sum();
    }

    private static void bands(List<Problem> out, List<Instrument.Band> bands, int min, int max) {
        if (bands == null || bands.isEmpty()) {
            out.add(new Problem("bands", "cover every possible total, " + min + "–" + max));
            return;
        }
        Set<String> ids = new HashSet<>();
        int next = min;
        for (int b = 0; b < bands.size(); b++) {
            Instrument.Band band = bands.get(b);
            String at = "bands[" + b + "]";
            if (band.id() == null || !band.id().matches("[a-z][a-z-]{1,30}") || !ids.add(band.id())) {
                out.add(new Problem(at + ".id", "a distinct lower-case id (minimal, mild …)"));
            }
            if (band.min() != next) {
                out.add(new Problem(at + ".min", "must be " + next + ": bands follow each other without gaps or overlaps"));
            }
            if (band.max() < band.min()) {
                out.add(new Problem(at + ".max", "is at least min"));
            }
            if (band.zh() == null || band.zh().isBlank() || band.en() == null || band.en().isBlank()) {
                out.add(new Problem(at, "needs its name in zh and en"));
            }
            next = band.max() + 1;
        }
        if (next != max + 1) {
            out.add(new Problem("bands[" + (bands.size() - 1) + "].max", "must be " + max + ", the highest possible total"));
        }
    }

    private static void options(List<Problem> out, String field, List<Instrument.Option> options) {
        Set<Integer> values = new HashSet<>();
        for (int o = 0; o < options.size(); o++) {
            Instrument.Option option = options.get(o);
            if (option.value() < 0 || option.value() > 10 || !values.add(option.value())) {
                out.add(new Problem(field + "[" + o + "].value", "distinct values from 0 to 10"));
            }
            if (option.zh() == null || option.zh().isBlank() || option.en() == null || option.en().isBlank()) {
                out.add(new Problem(field + "[" + o + "]", "needs its wording in zh and en"));
            }
        }
    }

    private static void text(List<Problem> out, String field, Instrument.Text text, int length) {
        if (text == null || text.zh() == null || text.zh().isBlank() || text.en() == null || text.en().isBlank()
                || text.zh().length() > length || text.en().length() > length * 3) {
            out.add(new Problem(field, "needs zh and en text (zh ≤ " + length + " characters)"));
        }
    }
}
