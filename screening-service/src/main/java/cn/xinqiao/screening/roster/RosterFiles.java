package cn.xinqiao.screening.roster;

import cn.xinqiao.screening.domain.RosterRow;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a roster file (CSV in UTF-8 or GB18030 as Excel saves it in China, or XLSX) into header-mapped
 * cells with the file's own line numbers.
 */
public final class RosterFiles {

    public record Line(int number, Map<String, String> cells) {
    }

    public static final class UnreadableFile extends Exception {
        public UnreadableFile(String message) {
            super(message);
        }
    }

    private RosterFiles() {
    }

    public static List<Line> read(String format, byte[] content) throws UnreadableFile {
        List<List<String>> rows = "xlsx".equals(format) ? xlsx(content) : csv(decode(content));
        if (rows.isEmpty()) {
            throw new UnreadableFile("the file is empty");
        }
        List<String> header = rows.get(0).stream().map(h -> RosterRow.HEADER_ALIASES.get(
                h.strip().replace("\uFEFF", "").toLowerCase(Locale.ROOT))).toList();
        for (String required : List.of("studentNumber", "name", "grade", "className")) {
            if (!header.contains(required)) {
                throw new UnreadableFile("the header row lacks column " + required
                        + " (accepted: 学号, 姓名, 性别, 出生日期, 年级, 班级, 监护人, 监护人电话, 全国学籍号)");
            }
        }
        List<Line> lines = new ArrayList<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.stream().allMatch(String::isBlank)) {
                continue;
            }
            Map<String, String> cells = new HashMap<>();
            for (int c = 0; c < header.size() && c < row.size(); c++) {
                if (header.get(c) != null) {
                    cells.put(header.get(c), row.get(c));
                }
            }
            lines.add(new Line(r + 1, cells));
        }
        return lines;
    }

    /** The rows of a CSV file (UTF-8 or GB18030), unmapped. */
    public static List<List<String>> csvRows(byte[] content) {
        return csv(decode(content));
    }

    static String decode(byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return new String(content, Charset.forName("GB18030"));
        }
    }

    /** RFC 4180: quoted fields, doubled quotes, CRLF or LF. */
    static List<List<String>> csv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(ch);
            }
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }

    private static List<List<String>> xlsx(byte[] content) throws UnreadableFile {
        try (Workbook book = new XSSFWorkbook(new ByteArrayInputStream(content))) {
            Sheet sheet = book.getSheetAt(0);
            DataFormatter formatter = new DataFormatter(Locale.ROOT);
            List<List<String>> rows = new ArrayList<>();
            for (int r = 0; r <= sheet.getLastRowNum(); r++) {
                Row row = sheet.getRow(r);
                List<String> cells = new ArrayList<>();
                if (row != null) {
                    for (int c = 0; c < row.getLastCellNum(); c++) {
                        cells.add(cellText(row.getCell(c), formatter));
                    }
                }
                rows.add(cells);
            }
            return rows;
        } catch (IOException | RuntimeException e) {
            throw new UnreadableFile("not a readable XLSX workbook");
        }
    }

    private static String cellText(Cell cell, DataFormatter formatter) {
        if (cell == null) {
            return "";
        }
        return switch (cell.getCellType()) {
            // A formula is never evaluated: its source text is what the validator sees (and refuses).
            case FORMULA -> "=" + cell.getCellFormula();
            case NUMERIC -> DateUtil.isCellDateFormatted(cell)
                    ? cell.getLocalDateTimeCellValue().toLocalDate().toString()
                    : formatter.formatCellValue(cell);
            default -> formatter.formatCellValue(cell);
        };
    }
}
