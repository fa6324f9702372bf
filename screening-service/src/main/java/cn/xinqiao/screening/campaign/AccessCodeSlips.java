package cn.xinqiao.screening.campaign;

import cn.xinqiao.platform.pdf.ChinesePdf;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

import java.io.IOException;
import java.io.OutputStream;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * Printable access-code slips: A4 portrait, ten slips a page (2 × 5) with dashed cut lines, each class
 * starting on a new page, so a counsellor prints once and hands each class its own sheets.
 */
public final class AccessCodeSlips {

    public record Slip(String studentNumber, String name, int grade, String className, String accessCode) {
    }

    private static final float MARGIN = 30;
    private static final int COLUMNS = 2;
    private static final int ROWS = 5;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private AccessCodeSlips() {
    }

    public static void write(String schoolName, String campaignName, OffsetDateTime closesAt, String entryUrl, String hotline, List<Slip> slips,
                             OutputStream out) throws IOException {
        try (ChinesePdf pdf = new ChinesePdf(PDRectangle.A4, MARGIN, schoolName + " · " + campaignName + " · 访问码条 Access-code slips")) {
            float slipWidth = (pdf.width() - 2 * MARGIN) / COLUMNS;
            float slipHeight = (pdf.height() - 2 * MARGIN - 10) / ROWS;
            String until = closesAt.atZoneSameInstant(ZoneId.of("Asia/Shanghai")).format(DATE);
            int onPage = 0;
            String currentClass = null;
            boolean first = true;
            for (Slip slip : slips) {
                String cls = slip.grade() + "年级" + slip.className();
                if (!first && (onPage == COLUMNS * ROWS || !Objects.equals(cls, currentClass))) {
                    pdf.newPage();
                    onPage = 0;
                }
                first = false;
                currentClass = cls;
                float x = MARGIN + (onPage % COLUMNS) * slipWidth;
                float top = pdf.height() - MARGIN - 10 - (onPage / COLUMNS) * slipHeight;
                slip(pdf, x, top, slipWidth, slipHeight, schoolName, campaignName, until, entryUrl, slip, cls, hotline);
                onPage++;
            }
            if (slips.isEmpty()) {
                pdf.text(12, "没有可打印的访问码 / No access codes for this selection");
            }
            pdf.save(out);
        }
    }

    private static void slip(ChinesePdf pdf, float x, float top, float w, float h, String school, String campaign, String until,
                             String url, Slip s, String cls, String hotline) throws IOException {
        float pad = 12;
        pdf.line(x, top - h, x + w, top - h, 0.5f, true);
        pdf.line(x + w, top, x + w, top - h, 0.5f, true);
        pdf.textAt(x + pad, top - pad - 9, 9, "心理健康筛查 · 访问码  Screening access code");
        pdf.textAt(x + pad, top - pad - 24, 10, fit(school + " " + cls, 10, w - 2 * pad));
        pdf.textAt(x + pad, top - pad - 38, 10, fit(s.name() + "（学号 " + s.studentNumber() + "）", 10, w - 2 * pad));
        pdf.textAt(x + pad, top - pad - 68, 22, s.accessCode());
        pdf.textAt(x + pad, top - pad - 86, 7, fit("请打开 " + url + " ，输入访问码和你的出生日期作答。此码仅供本人使用。", 7, w - 2 * pad));
        pdf.textAt(x + pad, top - pad - 96, 7, fit("Open " + url + ", enter the code and your birth date. It is yours alone.", 7, w - 2 * pad));
        pdf.textAt(x + pad, top - pad - 108, 7, fit(campaign + " · 截止 " + until, 7, w - 2 * pad));
        pdf.textAt(x + pad, top - pad - 118, 7, fit("需要倾诉？24小时心理援助热线 " + hotline + " / Need to talk? Hotline " + hotline, 7, w - 2 * pad));
    }

    private static String fit(String s, float size, float width) {
        String out = s;
        while (out.length() > 1 && ChinesePdf.measure(out, size) > width) {
            out = out.substring(0, out.length() - 2) + "…";
        }
        return out;
    }
}
