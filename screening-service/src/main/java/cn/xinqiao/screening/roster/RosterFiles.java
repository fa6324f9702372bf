package cn.xinqiao.screening.roster;

import cn.xinqiao.platform.files.CsvText;
import cn.xinqiao.screening.domain.RosterRow;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.model.StylesTable;
import org.xml.sax.SAXException;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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

    /** A file past the caps, found while reading it (before it is all in memory). */
    static final class TooBig extends RuntimeException {
        TooBig(String message) {
            super(message, null, false, false);
        }
    }

    private RosterFiles() {
    }

    public static List<Line> read(String format, byte[] content) throws UnreadableFile {
        List<List<String>> rows;
        try {
            rows = "xlsx".equals(format) ? xlsx(content) : csv(decode(content));
        } catch (TooBig e) {
            throw new UnreadableFile(e.getMessage());
        }
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
        return CsvText.decode(content);
    }

    static List<List<String>> csv(String text) {
        try {
            return CsvText.rows(text, MAX_ROWS, MAX_COLUMNS, "more than " + MAX_ROWS + " rows: split the roster by grade");
        } catch (CsvText.TooBig e) {
            throw new TooBig(e.getMessage());
        }
    }

    /** A school's roster is thousands of rows; these bound what any file can make this service hold. */
    static final int MAX_ROWS = 100_000;
    static final int MAX_COLUMNS = 40;
    static final int MAX_CELL = 200;
    /** An XLSX part may unpack to at most 100 times its packed size (a zip bomb does far more) and 64 MB in all. */
    static final double MIN_INFLATE_RATIO = 0.01;
    static final long MAX_ENTRY_BYTES = 64L * 1024 * 1024;

    /**
     * The first sheet, streamed (StAX over the sheet's XML, shared strings read-only): memory is the rows kept, never
     * the workbook's object model, which took ~100× the file. A formula is never evaluated: its source text, with
     * "=", is what the validator sees (and refuses); a date-formatted number reads as its ISO date.
     */
    private static List<List<String>> xlsx(byte[] content) throws UnreadableFile {
        ZipSecureFile.setMinInflateRatio(MIN_INFLATE_RATIO);
        ZipSecureFile.setMaxEntrySize(MAX_ENTRY_BYTES);
        try (OPCPackage pkg = OPCPackage.open(new ByteArrayInputStream(content))) {
            XSSFReader reader = new XSSFReader(pkg);
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
            StylesTable styles = reader.getStylesTable();
            XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
            if (!sheets.hasNext()) {
                throw new UnreadableFile("the workbook has no sheet");
            }
            try (InputStream sheet = sheets.next()) {
                return SheetRows.read(sheet, strings, styles);
            }
        } catch (UnreadableFile e) {
            throw e;
        } catch (IOException | RuntimeException | OpenXML4JException | SAXException | XMLStreamException e) {
            throw new UnreadableFile(e.getMessage() != null && e.getMessage().contains("Zip bomb")
                    ? "the workbook unpacks to far more than its size (refused as a zip bomb)" : "not a readable XLSX workbook");
        }
    }

    /** The rows of one sheet's XML: {@code <row><c r t s><v>|<f>|<is><t>} … . */
    private static final class SheetRows {

        static List<List<String>> read(InputStream xml, ReadOnlySharedStringsTable strings, StylesTable styles)
                throws XMLStreamException, UnreadableFile {
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            XMLStreamReader in = factory.createXMLStreamReader(xml);
            DataFormatter formatter = new DataFormatter(Locale.ROOT);
            List<List<String>> rows = new ArrayList<>();
            List<String> row = null;
            String type = null;
            int style = -1;
            int column = 0;
            String value = null;
            String formula = null;
            StringBuilder text = new StringBuilder();
            while (in.hasNext()) {
                int event = in.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (in.getLocalName()) {
                        case "row" -> {
                            int number = Integer.parseInt(in.getAttributeValue(null, "r") == null ? String.valueOf(rows.size() + 1)
                                    : in.getAttributeValue(null, "r"));
                            if (number > MAX_ROWS + 1) {
                                throw new UnreadableFile("more than " + MAX_ROWS + " rows: split the roster by grade");
                            }
                            while (rows.size() < number - 1) {
                                rows.add(List.of()); // rows the sheet skips are empty
                            }
                            row = new ArrayList<>();
                        }
                        case "c" -> {
                            type = in.getAttributeValue(null, "t");
                            String s = in.getAttributeValue(null, "s");
                            style = s == null ? -1 : Integer.parseInt(s);
                            String ref = in.getAttributeValue(null, "r");
                            column = ref == null ? (row == null ? 0 : row.size()) : new CellReference(ref).getCol();
                            if (column >= MAX_COLUMNS) {
                                throw new UnreadableFile("more than " + MAX_COLUMNS + " columns");
                            }
                            value = null;
                            formula = null;
                        }
                        case "v", "f", "t" -> text.setLength(0);
                        default -> { }
                    }
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                    if (text.length() < MAX_CELL * 4) {
                        text.append(in.getText(), 0, Math.min(in.getTextLength(), MAX_CELL * 4 - text.length()));
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    switch (in.getLocalName()) {
                        case "v" -> value = text.toString();
                        case "f" -> formula = text.toString();
                        case "t" -> value = value == null ? text.toString() : value + text; // inline string runs
                        case "c" -> {
                            if (row != null) {
                                while (row.size() < column) {
                                    row.add("");
                                }
                                String cell = cell(type, style, value, formula, strings, styles, formatter);
                                row.add(cell.length() > MAX_CELL ? cell.substring(0, MAX_CELL) : cell);
                            }
                        }
                        case "row" -> {
                            rows.add(row);
                            row = null;
                        }
                        default -> { }
                    }
                }
            }
            return rows;
        }

        private static String cell(String type, int style, String value, String formula, ReadOnlySharedStringsTable strings,
                                   StylesTable styles, DataFormatter formatter) {
            if (formula != null) {
                return "=" + formula;
            }
            if (value == null) {
                return "";
            }
            if ("s".equals(type)) {
                return strings.getItemAt(Integer.parseInt(value.strip())).getString();
            }
            if ("inlineStr".equals(type) || "str".equals(type) || "e".equals(type)) {
                return value;
            }
            if ("b".equals(type)) {
                return "1".equals(value) ? "TRUE" : "FALSE";
            }
            double number = Double.parseDouble(value);
            if (style >= 0 && style < styles.getNumCellStyles()) {
                var format = styles.getStyleAt(style);
                int index = format.getDataFormat();
                String pattern = format.getDataFormatString();
                if (DateUtil.isADateFormat(index, pattern) && DateUtil.isValidExcelDate(number)) {
                    return DateUtil.getLocalDateTime(number).toLocalDate().toString();
                }
                return formatter.formatRawCellContents(number, index, pattern);
            }
            return formatter.formatRawCellContents(number, 0, "General");
        }
    }
}
