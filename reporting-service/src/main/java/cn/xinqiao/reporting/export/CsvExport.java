package cn.xinqiao.reporting.export;

import cn.xinqiao.reporting.domain.Table;
import cn.xinqiao.reporting.report.Report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV (RFC 4180, UTF-8 with a BOM so Excel on a zh-CN desktop opens it right), every table one after
 * the other: its title, the zh-CN header, its rows, 合计. Cells are written as displayed ("<5", "*"),
 * and anything a spreadsheet would run as a formula is prefixed with an apostrophe.
 */
public final class CsvExport {

    private CsvExport() {
    }

    public static void write(Report report, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        w.write('\uFEFF');
        line(w, List.of(report.title()));
        line(w, List.of("范围", report.name() + "（" + report.code() + "）"));
        for (var f : report.filters().entrySet()) {
            line(w, List.of(f.getKey(), f.getValue()));
        }
        line(w, List.of("生成时间", report.generatedAt().toString()));
        for (Table table : report.tables()) {
            w.write("\r\n");
            line(w, List.of(table.title()));
            List<String> header = new ArrayList<>();
            header.add("代码");
            header.add(table.rowHeader());
            table.columns().forEach(c -> header.add(c.label()));
            line(w, header);
            for (Table.Row row : table.rows()) {
                line(w, cells(row));
            }
            if (table.totals() != null) {
                line(w, cells(table.totals()));
            }
        }
        w.write("\r\n");
        for (String note : report.notes()) {
            line(w, List.of("注", note));
        }
        w.flush();
    }

    private static List<String> cells(Table.Row row) {
        List<String> out = new ArrayList<>();
        out.add(row.code() == null ? "" : row.code());
        out.add(row.name());
        row.cells().forEach(c -> out.add(c.display()));
        return out;
    }

    private static void line(Writer w, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(escape(fields.get(i)));
        }
        w.write("\r\n");
    }

    static String escape(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0 && !v.matches("-?[0-9.]+%?")) {
            v = "'" + v; // formula injection guard (a name starting with = or @ stays text)
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            v = "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
