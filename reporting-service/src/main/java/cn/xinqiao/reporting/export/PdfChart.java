package cn.xinqiao.reporting.export;

import cn.xinqiao.platform.pdf.ChinesePdf;
import cn.xinqiao.reporting.domain.Table;

import java.io.IOException;
import java.util.List;

/**
 * A bar chart drawn straight into a {@link ChinesePdf}: one bar per label, its value above it; a hidden or empty
 * value is a gap with its mark ("<5", "—") instead of a bar, so the chart never shows what the table hides.
 */
public final class PdfChart {

    private static final float[] TEAL = {0.05f, 0.58f, 0.53f};

    private PdfChart() {
    }

    /** @param values the bar heights (null: no bar); @param marks what is written above each bar */
    public static void bars(ChinesePdf pdf, String title, List<String> labels, List<Double> values, List<String> marks, Double max)
            throws IOException {
        float height = 130;
        pdf.need(height + 40);
        pdf.text(10, title);
        float top = pdf.y() - 14;
        float bottom = top - height;
        float left = pdf.margin() + 30;
        float right = pdf.width() - pdf.margin();
        double scale = max != null ? max : values.stream().filter(v -> v != null).mapToDouble(Double::doubleValue).max().orElse(1);
        if (scale <= 0) {
            scale = 1;
        }
        for (int g = 0; g <= 4; g++) {
            float y = bottom + height * g / 4;
            pdf.line(left, y, right, y, g == 0 ? 0.8f : 0.2f, g != 0);
            pdf.textAt(pdf.margin(), y - 3, 7, format(scale * g / 4));
        }
        int n = Math.max(1, labels.size());
        float slot = (right - left) / n;
        float bar = Math.min(46, slot * 0.6f);
        for (int i = 0; i < labels.size(); i++) {
            float x = left + slot * i + (slot - bar) / 2;
            Double v = values.get(i);
            float h = v == null ? 0 : (float) (height * Math.min(1, Math.max(0, v / scale)));
            if (h > 0) {
                pdf.box(x, bottom, bar, h, TEAL[0], TEAL[1], TEAL[2]);
            }
            String mark = marks.get(i);
            pdf.textAt(x + (bar - ChinesePdf.measure(mark, 7)) / 2, bottom + h + 3, 7, mark);
            String label = labels.get(i);
            float size = Math.min(7, slot / Math.max(1, ChinesePdf.measure(label, 1)) * 0.95f);
            pdf.textAt(left + slot * i + (slot - ChinesePdf.measure(label, size)) / 2, bottom - 10, size, label);
        }
        pdf.y(bottom - 18);
    }

    /** A trend table (one row per semester) as bars of one of its columns; a rate on a 0–100 scale. */
    public static void trend(ChinesePdf pdf, Table table, String column) throws IOException {
        int c = 0;
        for (int i = 0; i < table.columns().size(); i++) {
            if (table.columns().get(i).id().equals(column)) {
                c = i;
            }
        }
        final int at = c;
        boolean percent = table.columns().get(at).kind() == Table.Kind.PERCENT;
        bars(pdf, table.title() + " · " + table.columns().get(at).label(), table.rows().stream().map(Table.Row::name).toList(),
                table.rows().stream().map(r -> r.cells().get(at).hidden() ? null : r.cells().get(at).value()).toList(),
                table.rows().stream().map(r -> r.cells().get(at).display()).toList(), percent ? 100.0 : null);
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString(Math.round(v)) : String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
