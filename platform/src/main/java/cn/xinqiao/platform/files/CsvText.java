package cn.xinqiao.platform.files;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way the platform reads an uploaded CSV (rosters, paper answers, staff lists): UTF-8, or GB18030 as Excel
 * saves it in China; RFC 4180 quoting; bounded rows and columns so that no file makes a service hold more than that.
 */
public final class CsvText {

    /** A file past the caps, found while reading it (before it is all in memory). */
    public static final class TooBig extends RuntimeException {
        public TooBig(String message) {
            super(message, null, false, false);
        }
    }

    private CsvText() {
    }

    /** UTF-8 when the bytes are valid UTF-8 (a BOM stays for the header reader to strip), else GB18030. */
    public static String decode(byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return new String(content, Charset.forName("GB18030"));
        }
    }

    /** RFC 4180: quoted fields, doubled quotes, CRLF or LF; {@link TooBig} past {@code maxRows} data rows or {@code maxColumns}. */
    public static List<List<String>> rows(String text, int maxRows, int maxColumns, String tooManyRows) {
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
                if (row.size() > maxColumns) {
                    throw new TooBig("more than " + maxColumns + " columns");
                }
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                if (rows.size() > maxRows + 1) {
                    throw new TooBig(tooManyRows);
                }
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

    /** A header cell as written: without a BOM, trimmed, lower case. */
    public static String header(String cell) {
        return cell.replace("\uFEFF", "").strip().toLowerCase(java.util.Locale.ROOT);
    }
}
