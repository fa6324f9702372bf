package cn.xinqiao.reporting.export;

import cn.xinqiao.reporting.domain.Table;
import cn.xinqiao.reporting.report.Report;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PDF (A4 landscape) of a report. Chinese text uses the standard Adobe CJK font STSong-Light with the
 * predefined UniGB-UCS2-H encoding, not embedded — the way Chinese PDFs have long been made: every
 * PDF reader substitutes an installed Chinese font, the file stays small, and no font has to ship
 * with the service. Text is written as UCS-2 code units, so PDF text extraction (and search) works.
 */
public final class PdfExport {

    private static final float WIDTH = PDRectangle.A4.getHeight();
    private static final float HEIGHT = PDRectangle.A4.getWidth();
    private static final float MARGIN = 36;
    private static final float ROW = 14;

    private PdfExport() {
    }

    public static void write(Report report, OutputStream out) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            COSDictionary font = songFont();
            Pages pages = new Pages(doc, font, report.title() + " · " + report.name());
            pages.text(MARGIN, 14, report.title());
            pages.text(MARGIN, 9, "范围 " + report.name() + "（" + report.code() + "）  生成时间 " + report.generatedAt());
            for (var f : report.filters().entrySet()) {
                pages.text(MARGIN, 9, f.getKey() + "：" + f.getValue());
            }
            for (Table table : report.tables()) {
                pages.gap(8);
                table(pages, table);
            }
            pages.gap(8);
            for (String note : report.notes()) {
                pages.text(MARGIN, 7.5f, "注：" + note);
            }
            pages.finish();
            doc.save(out);
        }
    }

    private static void table(Pages pages, Table table) throws IOException {
        List<String> header = new ArrayList<>();
        header.add(table.rowHeader());
        table.columns().forEach(c -> header.add(c.label()));
        List<List<String>> rows = new ArrayList<>();
        for (Table.Row r : table.rows()) {
            rows.add(line(r));
        }
        rows.add(line(table.totals()));
        int n = header.size();
        float[] width = new float[n];
        float size = 8;
        for (int c = 0; c < n; c++) {
            width[c] = measure(header.get(c), size) + 6;
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], measure(r.get(c), size) + 6);
            }
            width[c] = Math.min(width[c], c == 0 ? 180 : 110);
        }
        float total = 0;
        for (float w : width) {
            total += w;
        }
        float scale = Math.min(1, (WIDTH - 2 * MARGIN) / total);
        size *= scale;
        for (int c = 0; c < n; c++) {
            width[c] *= scale;
        }
        pages.need(ROW * 3);
        pages.text(MARGIN, 10, table.title());
        pages.row(header, width, size, true);
        for (int i = 0; i < rows.size(); i++) {
            if (pages.need(ROW)) {
                pages.row(header, width, size, true);
            }
            pages.row(rows.get(i), width, size, i == rows.size() - 1);
        }
    }

    private static List<String> line(Table.Row row) {
        List<String> out = new ArrayList<>();
        out.add(row.name());
        row.cells().forEach(c -> out.add(c.display()));
        return out;
    }

    static float measure(String s, float size) {
        float w = 0;
        for (int i = 0; i < s.length(); i++) {
            w += s.charAt(i) < 0x2E80 ? 0.5f : 1f;
        }
        return w * size;
    }

    private static COSDictionary songFont() {
        COSDictionary info = new COSDictionary();
        info.setItem(COSName.REGISTRY, new COSString("Adobe"));
        info.setItem(COSName.ORDERING, new COSString("GB1"));
        info.setInt(COSName.SUPPLEMENT, 2);
        COSDictionary descriptor = new COSDictionary();
        descriptor.setItem(COSName.TYPE, COSName.FONT_DESC);
        descriptor.setName(COSName.FONT_NAME, "STSong-Light");
        descriptor.setInt(COSName.FLAGS, 6);
        COSArray bbox = new COSArray();
        for (int v : new int[]{-25, -254, 1000, 880}) {
            bbox.add(COSInteger.get(v));
        }
        descriptor.setItem(COSName.FONT_BBOX, bbox);
        descriptor.setInt(COSName.ITALIC_ANGLE, 0);
        descriptor.setInt(COSName.ASCENT, 880);
        descriptor.setInt(COSName.DESCENT, -120);
        descriptor.setInt(COSName.CAP_HEIGHT, 880);
        descriptor.setInt(COSName.STEM_V, 93);
        COSDictionary cid = new COSDictionary();
        cid.setItem(COSName.TYPE, COSName.FONT);
        cid.setItem(COSName.SUBTYPE, COSName.CID_FONT_TYPE0);
        cid.setName(COSName.BASE_FONT, "STSong-Light");
        cid.setItem(COSName.CIDSYSTEMINFO, info);
        cid.setItem(COSName.FONT_DESC, descriptor);
        cid.setInt(COSName.DW, 1000);
        COSArray w = new COSArray(); // CIDs 1–95 of Adobe-GB1 are the half-width ASCII glyphs
        w.add(COSInteger.get(1));
        w.add(COSInteger.get(95));
        w.add(COSInteger.get(500));
        cid.setItem(COSName.W, w);
        COSDictionary font = new COSDictionary();
        font.setItem(COSName.TYPE, COSName.FONT);
        font.setItem(COSName.SUBTYPE, COSName.TYPE0);
        font.setName(COSName.BASE_FONT, "STSong-Light-UniGB-UCS2-H");
        font.setItem(COSName.ENCODING, COSName.getPDFName("UniGB-UCS2-H"));
        COSArray descendants = new COSArray();
        descendants.add(cid);
        font.setItem(COSName.DESCENDANT_FONTS, descendants);
        return font;
    }

    /** UCS-2 big-endian hex string; characters outside the BMP become "?". */
    static String hex(String s) {
        StringBuilder b = new StringBuilder(s.length() * 4 + 2).append('<');
        s.codePoints().forEach(cp -> b.append(String.format("%04X", cp > 0xFFFF ? '?' : cp)));
        return b.append('>').toString();
    }

    /** Pages written as raw content streams, with a running header and page numbers. */
    private static final class Pages {
        private final PDDocument doc;
        private final COSDictionary font;
        private final String heading;
        private final List<PDPage> all = new ArrayList<>();
        private ByteArrayOutputStream content;
        private PDPage page;
        private float y;

        Pages(PDDocument doc, COSDictionary font, String heading) throws IOException {
            this.doc = doc;
            this.font = font;
            this.heading = heading;
            newPage();
        }

        private void newPage() throws IOException {
            flush();
            page = new PDPage(new PDRectangle(WIDTH, HEIGHT));
            PDResources resources = new PDResources();
            COSDictionary fonts = new COSDictionary();
            fonts.setItem(COSName.getPDFName("F1"), font);
            resources.getCOSObject().setItem(COSName.FONT, fonts);
            page.setResources(resources);
            doc.addPage(page);
            all.add(page);
            content = new ByteArrayOutputStream();
            y = HEIGHT - MARGIN;
            raw(String.format(Locale.ROOT, "BT /F1 7 Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET\n", MARGIN, HEIGHT - 20, hex(heading)));
        }

        /** Ensures room for {@code height}; true when a new page was started. */
        boolean need(float height) throws IOException {
            if (y - height < MARGIN) {
                newPage();
                return true;
            }
            return false;
        }

        void gap(float h) throws IOException {
            if (!need(h)) {
                y -= h;
            }
        }

        void text(float x, float size, String s) throws IOException {
            need(size + 6);
            y -= size + 4;
            raw(String.format(Locale.ROOT, "BT /F1 %.2f Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET\n", size, x, y, hex(s)));
        }

        void row(List<String> cells, float[] width, float size, boolean rule) throws IOException {
            y -= ROW;
            float x = MARGIN;
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < cells.size(); c++) {
                String s = cells.get(c);
                float tx = c == 0 ? x + 2 : x + width[c] - 3 - measure(s, size); // labels left, figures right
                b.append(String.format(Locale.ROOT, "BT /F1 %.2f Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET\n", size, tx, y + 4, hex(s)));
                x += width[c];
            }
            b.append(String.format(Locale.ROOT, "%.2f w %.2f %.2f m %.2f %.2f l S\n", rule ? 0.8f : 0.3f, MARGIN, y, x, y));
            raw(b.toString());
        }

        private void raw(String s) throws IOException {
            content.write(s.getBytes(StandardCharsets.US_ASCII));
        }

        private void flush() throws IOException {
            if (page == null) {
                return;
            }
            PDStream stream = new PDStream(doc);
            try (OutputStream os = stream.createOutputStream(COSName.FLATE_DECODE)) {
                content.writeTo(os);
            }
            page.setContents(stream);
        }

        void finish() throws IOException {
            int total = all.size();
            for (int i = 0; i < total; i++) {
                PDPage p = all.get(i);
                if (p == page) {
                    raw(footer(i + 1, total));
                    flush();
                } else {
                    PDStream footer = new PDStream(doc);
                    try (OutputStream os = footer.createOutputStream(COSName.FLATE_DECODE)) {
                        os.write(footer(i + 1, total).getBytes(StandardCharsets.US_ASCII));
                    }
                    COSArray contents = new COSArray();
                    contents.add(p.getCOSObject().getDictionaryObject(COSName.CONTENTS));
                    contents.add(footer.getCOSObject());
                    p.getCOSObject().setItem(COSName.CONTENTS, contents);
                }
            }
        }

        private static String footer(int n, int total) {
            return String.format(Locale.ROOT, "BT /F1 7 Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET\n", WIDTH - MARGIN - 60, 18f,
                    hex("第 " + n + " / " + total + " 页"));
        }
    }

}
