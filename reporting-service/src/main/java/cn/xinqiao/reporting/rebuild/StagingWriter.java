package cn.xinqiao.reporting.rebuild;

import org.postgresql.PGConnection;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;

/** Buffers CSV rows for one staging table and COPYs them in bulk (the fast path of a replay). */
final class StagingWriter {

    private final String copy;
    private final StringBuilder buffer = new StringBuilder(1 << 20);
    private int rows;

    StagingWriter(String table, String columns) {
        this.copy = "copy " + table + " (" + columns + ") from stdin with (format csv)";
    }

    StagingWriter row(Object... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                buffer.append(',');
            }
            Object f = fields[i];
            if (f == null) {
                continue; // unquoted empty field = NULL
            }
            if (f instanceof byte[] bytes) {
                buffer.append("\\x").append(HexFormat.of().formatHex(bytes));
            } else if (f instanceof Number || f instanceof Boolean) {
                buffer.append(f);
            } else {
                buffer.append('"').append(f.toString().replace("\"", "\"\"")).append('"');
            }
        }
        buffer.append('\n');
        rows++;
        return this;
    }

    int pending() {
        return rows;
    }

    void flush(Connection connection) throws SQLException {
        if (rows == 0) {
            return;
        }
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, new StringReader(buffer.toString()));
        } catch (java.io.IOException e) {
            throw new SQLException("copy into staging failed", e);
        }
        buffer.setLength(0);
        rows = 0;
    }
}
