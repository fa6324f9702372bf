package cn.xinqiao.reporting.export;

import cn.xinqiao.platform.pdf.ChinesePdf;
import cn.xinqiao.reporting.domain.Table;
import cn.xinqiao.reporting.programme.Metric;
import cn.xinqiao.reporting.report.Report;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/** PDF (A4 landscape) of a report through the platform's {@link ChinesePdf}: every table, header repeated on each page. */
public final class PdfExport {

    private static final float ROW = 14;

    private PdfExport() {
    }

    public static void write(Report report, OutputStream out) throws IOException {
        try (ChinesePdf pdf = new ChinesePdf(ChinesePdf.a4Landscape(), 36, report.title() + " · " + report.name())) {
            pdf.text(14, report.title());
            pdf.text(9, "范围 " + report.name() + "（" + report.code() + "）  生成时间 " + report.generatedAt());
            for (var f : report.filters().entrySet()) {
                pdf.text(9, f.getKey() + "：" + f.getValue());
            }
            for (Table table : report.tables()) {
                pdf.gap(8);
                if (table.id().startsWith("trend-")) {
                    PdfChart.trend(pdf, table, Metric.parse(table.id().substring("trend-".length())).get(0).key);
                }
                table(pdf, table);
            }
            pdf.gap(8);
            for (String note : report.notes()) {
                pdf.text(7.5f, "注：" + note);
            }
            pdf.save(out);
        }
    }

    /** A table with its header repeated on each page; the totals row last, where the table has one. */
    public static void table(ChinesePdf pdf, Table table) throws IOException {
        List<String> header = new ArrayList<>();
        header.add(table.rowHeader());
        table.columns().forEach(c -> header.add(c.label()));
        List<List<String>> rows = new ArrayList<>();
        for (Table.Row r : table.rows()) {
            rows.add(line(r));
        }
        if (table.totals() != null) {
            rows.add(line(table.totals()));
        }
        int n = header.size();
        float[] width = new float[n];
        float size = 8;
        for (int c = 0; c < n; c++) {
            width[c] = ChinesePdf.measure(header.get(c), size) + 6;
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], ChinesePdf.measure(r.get(c), size) + 6);
            }
            width[c] = Math.min(width[c], c == 0 ? 180 : 110);
        }
        float total = 0;
        for (float w : width) {
            total += w;
        }
        float scale = Math.min(1, (pdf.width() - 2 * pdf.margin()) / total);
        size *= scale;
        for (int c = 0; c < n; c++) {
            width[c] *= scale;
        }
        pdf.need(ROW * 3);
        pdf.text(10, table.title());
        row(pdf, header, width, size, true);
        for (int i = 0; i < rows.size(); i++) {
            if (pdf.need(ROW)) {
                row(pdf, header, width, size, true);
            }
            row(pdf, rows.get(i), width, size, table.totals() != null && i == rows.size() - 1);
        }
    }

    /** One table row: the label left-aligned, figures right-aligned, a rule under it. */
    private static void row(ChinesePdf pdf, List<String> cells, float[] width, float size, boolean strong) throws IOException {
        pdf.y(pdf.y() - ROW);
        float x = pdf.margin();
        for (int c = 0; c < cells.size(); c++) {
            String s = cells.get(c);
            float tx = c == 0 ? x + 2 : x + width[c] - 3 - ChinesePdf.measure(s, size);
            pdf.textAt(tx, pdf.y() + 4, size, s);
            x += width[c];
        }
        pdf.line(pdf.margin(), pdf.y(), x, pdf.y(), strong ? 0.8f : 0.3f, false);
    }

    private static List<String> line(Table.Row row) {
        List<String> out = new ArrayList<>();
        out.add(row.name());
        row.cells().forEach(c -> out.add(c.display()));
        return out;
    }
}
