package cn.xinqiao.platform.pdf;

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
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one way the platform writes a PDF with Chinese text (report exports, access-code slips).
 * Text uses the standard Adobe Chinese font STSong-Light with the predefined UniGB-UCS2-H encoding,
 * not embedded — how Chinese PDFs have long been made: every reader substitutes an installed Chinese
 * font, the file stays small and no font ships with the service. Text is written as UCS-2 code units,
 * so it can be searched and extracted. Pages carry a running header and "第 n / N 页".
 */
public final class ChinesePdf implements Closeable {

    private final PDDocument doc = new PDDocument();
    private final COSDictionary font = songFont();
    private final PDRectangle size;
    private final float margin;
    private final String heading;
    private final List<PDPage> pages = new ArrayList<>();
    private ByteArrayOutputStream content;
    private PDPage page;
    private float y;

    public ChinesePdf(PDRectangle size, float margin, String heading) throws IOException {
        this.size = size;
        this.margin = margin;
        this.heading = heading;
        newPage();
    }

    public static PDRectangle a4Portrait() {
        return PDRectangle.A4;
    }

    public static PDRectangle a4Landscape() {
        return new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
    }

    public float width() {
        return size.getWidth();
    }

    public float height() {
        return size.getHeight();
    }

    public float margin() {
        return margin;
    }

    /** The baseline of the next flowing line; it moves down as text is added. */
    public float y() {
        return y;
    }

    public void y(float value) {
        y = value;
    }

    public void newPage() throws IOException {
        flush();
        page = new PDPage(size);
        PDResources resources = new PDResources();
        COSDictionary fonts = new COSDictionary();
        fonts.setItem(COSName.getPDFName("F1"), font);
        resources.getCOSObject().setItem(COSName.FONT, fonts);
        page.setResources(resources);
        doc.addPage(page);
        pages.add(page);
        content = new ByteArrayOutputStream();
        y = height() - margin;
        if (heading != null) {
            textAt(margin, height() - 20, 7, heading);
        }
    }

    /** Ensures room for {@code h} below the current line; true when that took a new page. */
    public boolean need(float h) throws IOException {
        if (y - h < margin) {
            newPage();
            return true;
        }
        return false;
    }

    public void gap(float h) throws IOException {
        if (!need(h)) {
            y -= h;
        }
    }

    /** A flowing line of text at the left margin. */
    public void text(float fontSize, String s) throws IOException {
        need(fontSize + 6);
        y -= fontSize + 4;
        textAt(margin, y, fontSize, s);
    }

    public void textAt(float x, float baseline, float fontSize, String s) throws IOException {
        raw(String.format(Locale.ROOT, "BT /F1 %.2f Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET\n", fontSize, x, baseline, hex(s)));
    }

    public void line(float x1, float y1, float x2, float y2, float lineWidth, boolean dashed) throws IOException {
        raw(String.format(Locale.ROOT, "q %s%.2f w %.2f %.2f m %.2f %.2f l S Q\n", dashed ? "[3 3] 0 d " : "", lineWidth, x1, y1, x2, y2));
    }

    /** A filled rectangle, its lower left corner at (x, y); colour components 0–1. */
    public void box(float x, float y, float w, float h, float red, float green, float blue) throws IOException {
        raw(String.format(Locale.ROOT, "q %.3f %.3f %.3f rg %.2f %.2f %.2f %.2f re f Q\n", red, green, blue, x, y, w, h));
    }

    /** Width of {@code s} at {@code fontSize}: Chinese characters are one em, Latin letters and digits half. */
    public static float measure(String s, float fontSize) {
        float w = 0;
        for (int i = 0; i < s.length(); i++) {
            w += s.charAt(i) < 0x2E80 ? 0.5f : 1f;
        }
        return w * fontSize;
    }

    public void save(OutputStream out) throws IOException {
        int total = pages.size();
        for (int i = 0; i < total; i++) {
            String footer = String.format(Locale.ROOT, "BT /F1 7 Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET\n", width() - margin - 60, 18f,
                    hex("第 " + (i + 1) + " / " + total + " 页"));
            PDPage p = pages.get(i);
            if (p == page) {
                raw(footer);
                flush();
            } else {
                PDStream extra = new PDStream(doc);
                try (OutputStream os = extra.createOutputStream(COSName.FLATE_DECODE)) {
                    os.write(footer.getBytes(StandardCharsets.US_ASCII));
                }
                COSArray contents = new COSArray();
                contents.add(p.getCOSObject().getDictionaryObject(COSName.CONTENTS));
                contents.add(extra.getCOSObject());
                p.getCOSObject().setItem(COSName.CONTENTS, contents);
            }
        }
        doc.save(out);
    }

    @Override
    public void close() throws IOException {
        doc.close();
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

    /** UCS-2 big-endian hex string; characters outside the BMP become "?". */
    static String hex(String s) {
        StringBuilder b = new StringBuilder(s.length() * 4 + 2).append('<');
        s.codePoints().forEach(cp -> b.append(String.format("%04X", cp > 0xFFFF ? '?' : cp)));
        return b.append('>').toString();
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
        COSDictionary type0 = new COSDictionary();
        type0.setItem(COSName.TYPE, COSName.FONT);
        type0.setItem(COSName.SUBTYPE, COSName.TYPE0);
        type0.setName(COSName.BASE_FONT, "STSong-Light-UniGB-UCS2-H");
        type0.setItem(COSName.ENCODING, COSName.getPDFName("UniGB-UCS2-H"));
        COSArray descendants = new COSArray();
        descendants.add(cid);
        type0.setItem(COSName.DESCENDANT_FONTS, descendants);
        return type0;
    }
}
