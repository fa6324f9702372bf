package cn.xinqiao.reporting.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds a {@link Table}: columns, rows, the totals row (sums of count and figure columns unless
 * given), then suppression, then derived cells (percent, hours) hidden wherever their basis count is
 * hidden or — in a small-area row — the basis is under 5 (a median of three referrals is a person).
 */
public final class TableBuilder {

    private final String id;
    private final String title;
    private final String titleEn;
    private final String rowHeader;
    private final List<Table.Column> columns = new ArrayList<>();
    private final List<Table.Row> rows = new ArrayList<>();
    private List<Integer> parts = List.of();
    private Integer total;
    private boolean smallRows;
    private boolean smallTotals;
    private String drill;
    private Table.Row totals;

    public TableBuilder(String id, String title, String titleEn, String rowHeader) {
        this.id = id;
        this.title = title;
        this.titleEn = titleEn;
        this.rowHeader = rowHeader;
    }

    public TableBuilder column(Table.Column column) {
        columns.add(column);
        return this;
    }

    /** The risk levels NONE…CRITICAL as count columns, then their total (the parts add up to it). */
    public TableBuilder riskColumns() {
        for (cn.xinqiao.reporting.domain.Risk r : cn.xinqiao.reporting.domain.Risk.ALL) {
            column(Table.Column.count(r.name(), r.zh, r.en));
        }
        column(Table.Column.count("total", "合计", "Total"));
        return sums(java.util.stream.IntStream.range(0, cn.xinqiao.reporting.domain.Risk.ALL.size()).boxed().toList(),
                cn.xinqiao.reporting.domain.Risk.ALL.size());
    }

    /** Cells for {@link #riskColumns()}: the counts by risk rank, then their total. */
    public static List<Table.Cell> riskCells(long[] byRisk) {
        List<Table.Cell> cells = new ArrayList<>();
        long total = 0;
        for (long n : byRisk) {
            cells.add(Table.Cell.count(n));
            total += n;
        }
        cells.add(Table.Cell.count(total));
        return cells;
    }

    public int columnCount() {
        return columns.size();
    }

    /** Count columns {@code parts} add up to the count column {@code total} in every row. */
    public TableBuilder sums(List<Integer> parts, int total) {
        this.parts = List.copyOf(parts);
        this.total = total;
        return this;
    }

    /** Rows are schools or finer; {@code totals} too when the whole table describes one school. */
    public TableBuilder small(boolean rows, boolean totals) {
        this.smallRows = rows;
        this.smallTotals = totals;
        return this;
    }

    public TableBuilder drill(String level) {
        this.drill = level;
        return this;
    }

    public TableBuilder row(String code, String name, Table.Cell... cells) {
        rows.add(new Table.Row(code, name, List.of(cells)));
        return this;
    }

    public TableBuilder totals(Table.Cell... cells) {
        totals = new Table.Row(null, "合计", List.of(cells));
        return this;
    }

    /** A one-line table (a summary): no rows, just this line as its totals. */
    public TableBuilder only(String name, Table.Cell... cells) {
        totals = new Table.Row(null, name, List.of(cells));
        return this;
    }

    public Table build() {
        Table.Row sum = totals != null ? totals : sumRow();
        Table table = Suppression.apply(new Table(id, title, titleEn, rowHeader, List.copyOf(columns), List.copyOf(rows), sum,
                parts, total, smallRows, smallTotals, drill));
        List<Table.Row> out = new ArrayList<>();
        for (Table.Row row : table.rows()) {
            out.add(hideDerived(row, smallRows));
        }
        return new Table(table.id(), table.title(), table.titleEn(), table.rowHeader(), table.columns(), List.copyOf(out),
                hideDerived(table.totals(), smallTotals), table.partColumns(), table.totalColumn(), smallRows, smallTotals, drill);
    }

    private Table.Row sumRow() {
        Table.Cell[] cells = new Table.Cell[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            Table.Kind kind = columns.get(c).kind();
            if (kind == Table.Kind.COUNT || kind == Table.Kind.FIGURE) {
                final int col = c;
                long s = rows.stream().map(r -> r.cells().get(col).value()).filter(v -> v != null).mapToLong(Math::round).sum();
                cells[c] = Table.Cell.count(s);
            } else {
                cells[c] = Table.Cell.empty();
            }
        }
        return new Table.Row(null, "合计", Arrays.asList(cells));
    }

    private Table.Row hideDerived(Table.Row row, boolean small) {
        Table.Row result = row;
        for (int c = 0; c < columns.size(); c++) {
            Integer basis = columns.get(c).basis();
            if (basis == null || row.cells().get(c).value() == null) {
                continue;
            }
            Table.Cell base = row.cells().get(basis);
            boolean inputHidden = columns.get(c).inputs().stream().anyMatch(i -> row.cells().get(i).hidden());
            boolean hide = inputHidden || (small && base.value() != null && base.value() < 5
                    && columns.get(c).kind() == Table.Kind.HOURS);
            if (hide) {
                result = result.withCell(c, new Table.Cell(null, inputHidden ? "—" : "n<5", "derived"));
            }
        }
        return result;
    }
}
