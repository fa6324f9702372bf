package cn.xinqiao.reporting.export;

import cn.xinqiao.reporting.domain.Table;
import cn.xinqiao.reporting.report.Report;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;

/**
 * XLSX with Apache POI's streaming workbook (rows flushed to disk every 500, so a city-wide export
 * does not sit in memory): a summary sheet, then one sheet per table with zh-CN headers. Numbers are
 * numbers; hidden cells are the text "<5" / "*".
 */
public final class XlsxExport {

    private XlsxExport() {
    }

    public static void write(Report report, OutputStream out) throws IOException {
        try (SXSSFWorkbook wb = new SXSSFWorkbook(500)) {
            CellStyle bold = wb.createCellStyle();
            Font font = wb.createFont();
            font.setBold(true);
            bold.setFont(font);
            Sheet summary = wb.createSheet("说明");
            int r = 0;
            r = text(summary, r, bold, report.title());
            r = text(summary, r, null, "范围", report.name() + "（" + report.code() + "）");
            for (var f : report.filters().entrySet()) {
                r = text(summary, r, null, f.getKey(), f.getValue());
            }
            r = text(summary, r, null, "生成时间", report.generatedAt().toString());
            for (String note : report.notes()) {
                r = text(summary, r, null, "注", note);
            }
            Set<String> names = new HashSet<>();
            for (Table table : report.tables()) {
                Sheet sheet = wb.createSheet(sheetName(table, names));
                int row = text(sheet, 0, bold, table.title());
                Row header = sheet.createRow(row++);
                header.createCell(0).setCellValue("代码");
                header.createCell(1).setCellValue(table.rowHeader());
                for (int c = 0; c < table.columns().size(); c++) {
                    header.createCell(c + 2).setCellValue(table.columns().get(c).label());
                    header.getCell(c + 2).setCellStyle(bold);
                }
                header.getCell(0).setCellStyle(bold);
                header.getCell(1).setCellStyle(bold);
                for (Table.Row data : table.rows()) {
                    row = dataRow(sheet, row, data, table, null);
                }
                if (table.totals() != null) {
                    dataRow(sheet, row, table.totals(), table, bold);
                }
            }
            wb.write(out);
            wb.dispose();
        }
    }

    private static int dataRow(Sheet sheet, int index, Table.Row data, Table table, CellStyle style) {
        Row row = sheet.createRow(index);
        row.createCell(0).setCellValue(data.code() == null ? "" : data.code());
        row.createCell(1).setCellValue(data.name());
        for (int c = 0; c < data.cells().size(); c++) {
            Table.Cell cell = data.cells().get(c);
            Table.Kind kind = table.columns().get(c).kind();
            var x = row.createCell(c + 2);
            if (cell.value() != null && (kind == Table.Kind.COUNT || kind == Table.Kind.FIGURE || kind == Table.Kind.HOURS)) {
                x.setCellValue(cell.value());
            } else {
                x.setCellValue(cell.display());
            }
            if (style != null) {
                x.setCellStyle(style);
            }
        }
        return index + 1;
    }

    private static int text(Sheet sheet, int index, CellStyle style, String... values) {
        Row row = sheet.createRow(index);
        for (int i = 0; i < values.length; i++) {
            row.createCell(i).setCellValue(values[i]);
            if (style != null) {
                row.getCell(i).setCellStyle(style);
            }
        }
        return index + 1;
    }

    private static String sheetName(Table table, Set<String> used) {
        String base = table.title().replaceAll("[\\\\/?*\\[\\]:]", " ");
        base = base.length() > 28 ? base.substring(0, 28) : base;
        String name = base;
        for (int i = 2; !used.add(name); i++) {
            name = base + " " + i;
        }
        return name;
    }
}
