package cn.xinqiao.reporting.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Small-cell suppression. Primary: every count 1–4 in a small-area row (a school or finer) is shown as
 * "<5". Secondary: the table's own equations (row parts add up to the row total, rows add up to the
 * totals row) must not pin any hidden cell to one value; while one does, hide one more cell ("*")
 * on an equation through it — the smallest non-zero count, preferring ≥ 6 so that knowing "a
 * secondary cell is not 1–4" never narrows its partner to one value. Derived cells (percentages,
 * medians) of a hidden count are hidden with it by the report builders.
 *
 * Whether a hidden cell is pinned is exact linear algebra: it is determined iff its unit vector lies
 * in the row space of the equations restricted to hidden cells (reduced row echelon form).
 */
public final class Suppression {

    public static final String SMALL = "<5";
    public static final String COMPLEMENT = "*";

    private Suppression() {
    }

    /** A cell position; row -1 is the totals row. */
    public record Pos(int row, int col) {
    }

    public static Table apply(Table table) {
        int rows = table.rows().size();
        int cols = table.columns().size();
        long[][] v = new long[rows + 1][cols];
        boolean[][] count = new boolean[rows + 1][cols];
        for (int r = 0; r <= rows; r++) {
            Table.Row row = r < rows ? table.rows().get(r) : table.totals();
            for (int c = 0; c < cols; c++) {
                Table.Cell cell = row.cells().get(c);
                count[r][c] = table.columns().get(c).kind() == Table.Kind.COUNT && cell.value() != null;
                v[r][c] = count[r][c] ? Math.round(cell.value()) : 0;
            }
        }
        Set<Pos> primary = new HashSet<>();
        for (int r = 0; r <= rows; r++) {
            boolean small = r < rows ? table.rowsAreSmallAreas() : table.totalsAreSmallArea();
            for (int c = 0; c < cols && small; c++) {
                if (count[r][c] && v[r][c] >= 1 && v[r][c] <= 4) {
                    primary.add(new Pos(r == rows ? -1 : r, c));
                }
            }
        }
        if (primary.isEmpty()) {
            return table;
        }
        List<List<Pos>> lines = equations(table);
        Set<Pos> hidden = new HashSet<>(primary);
        Set<Pos> secondary = new HashSet<>();
        while (true) {
            List<Pos> pinned = determined(lines, hidden);
            if (pinned.isEmpty()) {
                break;
            }
            Pos extra = null;
            for (Pos p : pinned) {
                extra = complement(lines.stream().filter(l -> l.contains(p)).toList(), hidden, v, count, rows, false);
                if (extra != null) {
                    break;
                }
            }
            if (extra == null) {
                // every equation through a pinned cell is all hidden or zero: widen to any equation that
                // holds a hidden cell, then (last resort) allow a zero
                List<List<Pos>> touching = lines.stream().filter(l -> l.stream().anyMatch(hidden::contains)).toList();
                extra = complement(touching, hidden, v, count, rows, false);
                if (extra == null) {
                    extra = complement(touching, hidden, v, count, rows, true);
                }
            }
            if (extra == null) {
                break; // nothing visible is left on any equation
            }
            hidden.add(extra);
            secondary.add(extra);
        }
        List<Table.Row> out = new ArrayList<>();
        for (int r = 0; r <= rows; r++) {
            Table.Row row = r < rows ? table.rows().get(r) : table.totals();
            for (int c = 0; c < cols; c++) {
                Pos p = new Pos(r == rows ? -1 : r, c);
                if (primary.contains(p)) {
                    row = row.withCell(c, new Table.Cell(null, SMALL, "primary"));
                } else if (secondary.contains(p)) {
                    row = row.withCell(c, new Table.Cell(null, COMPLEMENT, "secondary"));
                }
            }
            out.add(row);
        }
        return new Table(table.id(), table.title(), table.titleEn(), table.rowHeader(), table.columns(),
                List.copyOf(out.subList(0, rows)), out.get(rows), table.partColumns(), table.totalColumn(),
                table.rowsAreSmallAreas(), table.totalsAreSmallArea(), table.drillLevel());
    }

    /**
     * The table's equations, each as its members: the first member is the total, the rest its parts.
     * Row equations (parts → row total) for every row incl. the totals row; column equations (rows →
     * totals row) for every count column.
     */
    public static List<List<Pos>> equations(Table table) {
        int rows = table.rows().size();
        List<List<Pos>> lines = new ArrayList<>();
        if (table.totalColumn() != null && !table.partColumns().isEmpty()) {
            for (int r = -1; r < rows; r++) {
                Table.Row row = r < 0 ? table.totals() : table.rows().get(r);
                if (row.cells().get(table.totalColumn()).value() == null && !row.cells().get(table.totalColumn()).hidden()) {
                    continue; // no total shown: no equation
                }
                List<Pos> line = new ArrayList<>();
                line.add(new Pos(r, table.totalColumn()));
                for (int c : table.partColumns()) {
                    line.add(new Pos(r, c));
                }
                lines.add(line);
            }
        }
        for (int c = 0; c < table.columns().size(); c++) {
            Table.Cell total = table.totals().cells().get(c);
            if (table.columns().get(c).kind() != Table.Kind.COUNT || rows == 0 || (total.value() == null && !total.hidden())) {
                continue; // not a count, or its total is not shown (e.g. categories: a call may have several)
            }
            List<Pos> line = new ArrayList<>();
            line.add(new Pos(-1, c));
            for (int r = 0; r < rows; r++) {
                line.add(new Pos(r, c));
            }
            lines.add(line);
        }
        return lines;
    }

    /** The hidden cells the equations pin to a single value. */
    public static List<Pos> determined(List<List<Pos>> lines, Set<Pos> hidden) {
        List<Pos> vars = hidden.stream().sorted(Comparator.comparingInt(Pos::row).thenComparingInt(Pos::col)).toList();
        int n = vars.size();
        List<double[]> matrix = new ArrayList<>();
        for (List<Pos> line : lines) {
            double[] eq = new double[n];
            boolean any = false;
            for (int i = 0; i < line.size(); i++) {
                int idx = vars.indexOf(line.get(i));
                if (idx >= 0) {
                    eq[idx] += i == 0 ? -1 : 1;
                    any = true;
                }
            }
            if (any) {
                matrix.add(eq);
            }
        }
        double[][] a = matrix.toArray(double[][]::new);
        int[] pivotOfRow = rref(a, n);
        List<Pos> pinned = new ArrayList<>();
        for (int r = 0; r < a.length; r++) {
            int pivot = pivotOfRow[r];
            if (pivot < 0) {
                continue;
            }
            boolean alone = true;
            for (int c = 0; c < n && alone; c++) {
                alone = c == pivot || Math.abs(a[r][c]) < 1e-9;
            }
            if (alone) {
                pinned.add(vars.get(pivot));
            }
        }
        return pinned;
    }

    private static int[] rref(double[][] a, int n) {
        int[] pivotOfRow = new int[a.length];
        Arrays.fill(pivotOfRow, -1);
        int row = 0;
        for (int col = 0; col < n && row < a.length; col++) {
            int best = row;
            for (int r = row + 1; r < a.length; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[best][col])) {
                    best = r;
                }
            }
            if (Math.abs(a[best][col]) < 1e-9) {
                continue;
            }
            double[] tmp = a[row];
            a[row] = a[best];
            a[best] = tmp;
            double p = a[row][col];
            for (int c = 0; c < n; c++) {
                a[row][c] /= p;
            }
            for (int r = 0; r < a.length; r++) {
                if (r != row && Math.abs(a[r][col]) > 1e-12) {
                    double f = a[r][col];
                    for (int c = 0; c < n; c++) {
                        a[r][c] -= f * a[row][c];
                    }
                }
            }
            pivotOfRow[row] = col;
            row++;
        }
        return pivotOfRow;
    }

    /** The visible count to hide next among {@code lines}: the smallest ≥ 6, else the smallest non-zero (or zero if allowed). */
    private static Pos complement(List<List<Pos>> lines, Set<Pos> hidden, long[][] v, boolean[][] count, int rows, boolean zeros) {
        Pos best = null;
        long bestValue = Long.MAX_VALUE;
        for (List<Pos> line : lines) {
            for (Pos p : line) {
                int r = p.row() < 0 ? rows : p.row();
                if (hidden.contains(p) || !count[r][p.col()] || (v[r][p.col()] == 0 && !zeros)) {
                    continue;
                }
                long value = v[r][p.col()];
                long rank = value >= 6 ? value : value + 1_000_000L; // prefer ≥ 6, then the smallest
                if (rank < bestValue) {
                    bestValue = rank;
                    best = p;
                }
            }
        }
        return best;
    }
}
