package cn.xinqiao.reporting.domain;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuppressionTest {

    /** rows × (parts + total), totals row = column sums. */
    static Table table(long[][] parts, boolean small, boolean smallTotals) {
        int k = parts[0].length;
        List<Table.Column> columns = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            columns.add(Table.Column.count("c" + c, "列" + c, "c" + c));
        }
        columns.add(Table.Column.count("total", "合计", "Total"));
        List<Table.Row> rows = new ArrayList<>();
        long[] sums = new long[k + 1];
        for (int r = 0; r < parts.length; r++) {
            List<Table.Cell> cells = new ArrayList<>();
            long total = 0;
            for (int c = 0; c < k; c++) {
                cells.add(Table.Cell.count(parts[r][c]));
                total += parts[r][c];
                sums[c] += parts[r][c];
            }
            cells.add(Table.Cell.count(total));
            sums[k] += total;
            rows.add(new Table.Row("S" + r, "学校" + r, cells));
        }
        Table.Row totals = new Table.Row(null, "合计", IntStream.range(0, k + 1).mapToObj(c -> Table.Cell.count(sums[c])).toList());
        return new Table("t", "表", "t", "学校", columns, rows, totals, IntStream.range(0, k).boxed().toList(), k, small, smallTotals, null);
    }

    @Test
    void countsOneToFourInSmallAreaRowsAreShownAsLessThanFiveZerosStay() {
        Table out = Suppression.apply(table(new long[][]{{3, 10, 12}, {0, 20, 30}, {8, 9, 7}}, true, false));
        Table.Cell three = out.rows().get(0).cells().get(0);
        assertNull(three.value());
        assertEquals("<5", three.display());
        assertEquals("primary", three.suppressed());
        assertEquals("0", out.rows().get(1).cells().get(0).display(), "a zero tells nothing about a person and stays");
        long hiddenInRow0 = out.rows().get(0).cells().stream().filter(Table.Cell::hidden).count();
        long hiddenInCol0 = out.rows().stream().map(r -> r.cells().get(0)).filter(Table.Cell::hidden).count();
        assertTrue(hiddenInRow0 >= 2, "the row total would give the 3 away: a second cell of the row is hidden");
        assertTrue(hiddenInCol0 >= 2, "the column total would give it away too");
        assertFalse(out.rows().get(1).cells().get(0).hidden(), "zeros are never chosen as complements");
        assertNoHiddenCellIsDerivable(out);
    }

    @Test
    void cityLevelRowsAreNotSuppressed() {
        Table in = table(new long[][]{{3, 10}, {1, 2}}, false, false);
        Table out = Suppression.apply(in);
        assertEquals(in, out);
    }

    @Test
    void aSchoolsOwnTotalsAreSmallTooWhenTheTableDescribesOneSchool() {
        Table out = Suppression.apply(table(new long[][]{{2, 0}, {0, 0}}, true, true));
        assertEquals("<5", out.totals().cells().get(0).display());
        assertEquals("<5", out.totals().cells().get(2).display());
        assertNoHiddenCellIsDerivable(out);
    }

    @Test
    void noHiddenCellCanBeDerivedFromTheTotalsInThousandsOfGeneratedTables() {
        Random random = new Random(20261123);
        int tables = 0;
        int primaries = 0;
        for (int n = 0; n < 2000; n++) {
            int rows = 1 + random.nextInt(7);
            int cols = 1 + random.nextInt(5);
            long[][] parts = new long[rows][cols];
            for (long[] row : parts) {
                for (int c = 0; c < cols; c++) {
                    int kind = random.nextInt(4);
                    row[c] = kind == 0 ? 0 : kind == 1 ? 1 + random.nextInt(4) : random.nextInt(60);
                }
            }
            boolean smallTotals = random.nextInt(4) == 0;
            Table out = Suppression.apply(table(parts, true, smallTotals));
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    Table.Cell cell = out.rows().get(r).cells().get(c);
                    if (parts[r][c] >= 1 && parts[r][c] <= 4) {
                        assertEquals("<5", cell.display(), "every 1–4 count is hidden");
                        primaries++;
                    } else if (!cell.hidden()) {
                        assertEquals(parts[r][c], Math.round(cell.value()), "visible cells keep their value");
                    }
                }
            }
            try {
                assertNoHiddenCellIsDerivable(out);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " in " + java.util.Arrays.deepToString(parts) + " smallTotals=" + smallTotals
                        + " -> " + out.rows().stream().map(r -> r.cells().stream().map(Table.Cell::display).toList()).toList()
                        + " totals " + out.totals().cells().stream().map(Table.Cell::display).toList());
            }
            tables++;
        }
        assertEquals(2000, tables);
        assertTrue(primaries > 1000, "the generator produced small cells: " + primaries);
    }

    /**
     * Independent of the implementation: a hidden cell h is derivable from the published equations
     * iff removing h's column from the hidden-cell equation matrix lowers its rank (exact integer
     * elimination, rank comparison instead of RREF pivots).
     */
    static void assertNoHiddenCellIsDerivable(Table t) {
        int rows = t.rows().size();
        int cols = t.columns().size();
        int total = t.totalColumn();
        List<int[]> hidden = new ArrayList<>(); // {row (-1 = totals), col}
        for (int r = -1; r < rows; r++) {
            Table.Row row = r < 0 ? t.totals() : t.rows().get(r);
            for (int c = 0; c < cols; c++) {
                if (row.cells().get(c).hidden()) {
                    hidden.add(new int[]{r, c});
                }
            }
        }
        if (hidden.isEmpty()) {
            return;
        }
        List<long[]> equations = new ArrayList<>();
        for (int r = -1; r < rows; r++) { // row parts = row total
            long[] eq = new long[hidden.size()];
            for (int i = 0; i < hidden.size(); i++) {
                int[] h = hidden.get(i);
                if (h[0] == r) {
                    eq[i] = h[1] == total ? -1 : 1;
                }
            }
            equations.add(eq);
        }
        for (int c = 0; c < cols; c++) { // column = totals row
            long[] eq = new long[hidden.size()];
            for (int i = 0; i < hidden.size(); i++) {
                int[] h = hidden.get(i);
                if (h[1] == c) {
                    eq[i] = h[0] < 0 ? -1 : 1;
                }
            }
            equations.add(eq);
        }
        int full = rank(equations, -1);
        for (int i = 0; i < hidden.size(); i++) {
            // x_i is pinned iff no solution of the equations' null space moves it, i.e. iff its column is
            // independent of the other hidden columns: then dropping it lowers the rank
            assertEquals(full, rank(equations, i),
                    "hidden cell " + hidden.get(i)[0] + "," + hidden.get(i)[1] + " can be derived from the totals");
        }
    }

    /** Rank of the matrix, with column {@code drop} removed (-1: none), by fraction-free elimination. */
    static int rank(List<long[]> equations, int drop) {
        List<BigInteger[]> m = new ArrayList<>();
        for (long[] eq : equations) {
            BigInteger[] row = new BigInteger[eq.length - (drop >= 0 ? 1 : 0)];
            for (int c = 0, k = 0; c < eq.length; c++) {
                if (c != drop) {
                    row[k++] = BigInteger.valueOf(eq[c]);
                }
            }
            m.add(row);
        }
        int n = m.isEmpty() ? 0 : m.get(0).length;
        int rank = 0;
        for (int col = 0; col < n && rank < m.size(); col++) {
            int pivot = -1;
            for (int r = rank; r < m.size(); r++) {
                if (m.get(r)[col].signum() != 0) {
                    pivot = r;
                    break;
                }
            }
            if (pivot < 0) {
                continue;
            }
            BigInteger[] p = m.get(pivot);
            m.set(pivot, m.get(rank));
            m.set(rank, p);
            for (int r = rank + 1; r < m.size(); r++) {
                BigInteger[] row = m.get(r);
                if (row[col].signum() == 0) {
                    continue;
                }
                BigInteger a = p[col];
                BigInteger b = row[col];
                for (int c = 0; c < n; c++) {
                    row[c] = row[c].multiply(a).subtract(p[c].multiply(b));
                }
            }
            rank++;
        }
        return rank;
    }
}
