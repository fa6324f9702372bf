package cn.xinqiao.reporting.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * One report table: rows (areas, grades, hospitals…) × columns, with the column totals row.
 * Count columns listed in {@code partColumns} add up to {@code totalColumn} in every row, and every
 * count column adds up over the rows to the totals row: those are the equations an attacker could
 * use against suppressed cells, and the ones {@link Suppression} protects.
 *
 * @param drillLevel        the level a row's code opens (city → county → school), or null
 * @param rowsAreSmallAreas rows are a school or finer (or the whole table describes one school):
 *                          counts 1–4 are hidden ("at school level and below")
 */
public record Table(String id, String title, String titleEn, String rowHeader, List<Column> columns, List<Row> rows,
                    Row totals, List<Integer> partColumns, Integer totalColumn, boolean rowsAreSmallAreas,
                    boolean totalsAreSmallArea, String drillLevel) {

    /**
     * COUNT: people or events about them (suppressed when small); FIGURE: a public number (enrolment,
     * activity counts) never suppressed; PERCENT/HOURS: derived, hidden with their count; TEXT: labels.
     */
    public enum Kind { COUNT, FIGURE, PERCENT, HOURS, TEXT }

    /**
     * {@code basis}: for a derived column (percent, hours), the count column whose size it speaks for;
     * {@code inputs}: every count column it is computed from — hidden whenever any of them is hidden.
     */
    public record Column(String id, String label, String labelEn, Kind kind, Integer basis, List<Integer> inputs) {
        public Column(String id, String label, String labelEn, Kind kind, Integer basis) {
            this(id, label, labelEn, kind, basis, basis == null ? List.of() : List.of(basis));
        }

        /** A percentage of {@code basis} computed from the counts in {@code inputs}. */
        public static Column percentOf(String id, String label, String labelEn, int basis, List<Integer> inputs) {
            List<Integer> all = new java.util.ArrayList<>(inputs);
            all.add(basis);
            return new Column(id, label, labelEn, Kind.PERCENT, basis, List.copyOf(all));
        }

        public static Column count(String id, String label, String labelEn) {
            return new Column(id, label, labelEn, Kind.COUNT, null);
        }

        public static Column figure(String id, String label, String labelEn) {
            return new Column(id, label, labelEn, Kind.FIGURE, null);
        }

        public static Column percent(String id, String label, String labelEn, int basis) {
            return new Column(id, label, labelEn, Kind.PERCENT, basis);
        }

        public static Column hours(String id, String label, String labelEn, int basis) {
            return new Column(id, label, labelEn, Kind.HOURS, basis);
        }

        public static Column text(String id, String label, String labelEn) {
            return new Column(id, label, labelEn, Kind.TEXT, null);
        }
    }

    /**
     * A cell: {@code value} is null when hidden or empty; {@code display} is what every reader shows
     * ("12", "<5", "*", "37.5%", "—"); {@code suppressed} is null, "primary" (1–4) or "secondary".
     */
    public record Cell(Double value, String display, String suppressed) {
        public static Cell count(long n) {
            return new Cell((double) n, Long.toString(n), null);
        }

        public static Cell percent(Double p) {
            return p == null ? empty() : new Cell(p, String.format("%.1f%%", p), null);
        }

        public static Cell hours(Double h) {
            return h == null ? empty() : new Cell(h, String.format("%.1f", h), null);
        }

        public static Cell text(String s) {
            return new Cell(null, s, null);
        }

        public static Cell empty() {
            return new Cell(null, "—", null);
        }

        public boolean hidden() {
            return suppressed != null;
        }
    }

    public record Row(String code, String name, List<Cell> cells) {
        public Row withCell(int i, Cell c) {
            List<Cell> copy = new ArrayList<>(cells);
            copy.set(i, c);
            return new Row(code, name, List.copyOf(copy));
        }
    }
}
