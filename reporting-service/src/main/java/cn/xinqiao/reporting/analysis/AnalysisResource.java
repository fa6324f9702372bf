package cn.xinqiao.reporting.analysis;

import cn.xinqiao.platform.pdf.ChinesePdf;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.reporting.directory.Area;
import cn.xinqiao.reporting.directory.Areas;
import cn.xinqiao.reporting.domain.Semester;
import cn.xinqiao.reporting.domain.Table;
import cn.xinqiao.reporting.export.PdfChart;
import cn.xinqiao.reporting.export.PdfExport;
import cn.xinqiao.reporting.programme.Metric;
import cn.xinqiao.reporting.report.Period;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The expert group's semester analysis report: drafts, signed versions, and each as PDF with its commentary. */
@Path("/api/analysis-reports")
@Produces(MediaType.APPLICATION_JSON)
public class AnalysisResource {

    @Inject
    AnalysisReports reports;

    @Inject
    Areas areas;

    public record Draft(String level, String code, String semester, String commentary) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.EXPERT_REVIEWER)
    @Operation(summary = "Write (or rewrite) the experts' draft commentary on a city's or county's semester")
    public AnalysisReports.View draft(Draft body) {
        if (body == null) {
            throw Problem.badRequest("missing-body", "send the draft as JSON");
        }
        return reports.draft(area(body.level(), body.code()), semester(body.semester()), body.commentary());
    }

    @GET
    @RolesAllowed({Role.EXPERT_REVIEWER, Role.BUREAU_ANALYST})
    @Operation(summary = "The draft and the signed versions of an area's semester analysis report, newest first")
    public List<AnalysisReports.View> versions(@QueryParam("level") String level, @QueryParam("code") String code,
                                               @QueryParam("semester") String semester) {
        return reports.versions(area(level, code), semester(semester));
    }

    @POST
    @Path("/{id}/signature")
    @RolesAllowed(Role.EXPERT_REVIEWER)
    @Operation(summary = "Sign the draft: the figures of this moment are frozen with the commentary as the next version (SHA-256)")
    public AnalysisReports.View sign(@PathParam("id") String id) {
        return reports.sign(uuid(id), LocalDate.now(Period.CHINA));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Role.EXPERT_REVIEWER, Role.BUREAU_ANALYST})
    @Operation(summary = "One version with its figures (frozen when signed) and whether it is intact")
    public Map<String, Object> one(@PathParam("id") String id) {
        AnalysisReports.Full full = reports.full(uuid(id), LocalDate.now(Period.CHINA));
        return Map.of("report", full.report(), "figures", full.figures(),
                "intact", "SIGNED".equals(full.report().status()) && reports.intact(full.report().id()));
    }

    @GET
    @Path("/{id}/pdf")
    @Produces({"application/pdf", "application/problem+json"})
    @RolesAllowed({Role.EXPERT_REVIEWER, Role.BUREAU_ANALYST})
    @Operation(summary = "The version as PDF: the commentary, the three levels of figures, the signature (a draft says so on every page)")
    public Response pdf(@PathParam("id") String id) {
        AnalysisReports.Full full = reports.full(uuid(id), LocalDate.now(Period.CHINA));
        AnalysisReports.View v = full.report();
        String name = areas.districtName(v.code());
        StreamingOutput body = out -> write(full, name, out);
        String file = "xinqiao-analysis-" + v.code() + "-" + v.semester() + (v.version() == null ? "-draft" : "-v" + v.version()) + ".pdf";
        return Response.ok(body, "application/pdf").header("Content-Disposition", "attachment; filename=\"" + file + "\"")
                .header("Cache-Control", "no-store").build();
    }

    static void write(AnalysisReports.Full full, String areaName, OutputStream out) throws IOException {
        AnalysisReports.View v = full.report();
        boolean signed = "SIGNED".equals(v.status());
        String title = areaName + "中小学生心理健康筛查评估分析报告";
        String semester = Semester.parse(v.semester()).label();
        try (ChinesePdf pdf = new ChinesePdf(ChinesePdf.a4Portrait(), 40,
                title + " · " + semester + (signed ? " · 第 " + v.version() + " 版" : " · 草稿 未签发"))) {
            pdf.text(16, title);
            pdf.text(11, semester + (signed ? "（第 " + v.version() + " 版）" : "（草稿，未签发）"));
            pdf.text(8, "本报告仅含去标识化的统计数字；学校层级 1–4 的计数显示为“<5”");
            pdf.gap(6);
            pdf.text(12, "一、专家组分析意见");
            for (String paragraph : v.commentary().split("\\R")) {
                for (String line : wrap(paragraph, 38)) {
                    pdf.text(10, line);
                }
            }
            pdf.gap(6);
            pdf.text(12, "二、市、县、校三级数据");
            for (Table t : full.figures()) {
                pdf.gap(4);
                if (t.id().startsWith("trend-")) {
                    PdfChart.trend(pdf, t, Metric.parse(t.id().substring("trend-".length())).get(0).key);
                }
                PdfExport.table(pdf, t);
            }
            pdf.gap(10);
            pdf.text(12, "三、签发");
            if (signed) {
                pdf.text(10, "专家组审核签发：" + v.signerName() + "　时间：" + v.signedAt().atZoneSameInstant(Period.CHINA).toLocalDateTime().withNano(0));
                pdf.text(8, "内容摘要（SHA-256）：" + v.digest());
            } else {
                pdf.text(10, "草稿，尚未签发（数据为打开时的实时数据）");
            }
            pdf.save(out);
        }
    }

    /** Lines of at most {@code width} em: Chinese text has no spaces to break at. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            line.append(text.charAt(i));
            if (ChinesePdf.measure(line.toString(), 1) >= width) {
                lines.add(line.toString());
                line.setLength(0);
            }
        }
        if (line.length() > 0 || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    private Area area(String level, String code) {
        Area area = areas.resolve(level, code);
        if (area.isSchool()) {
            throw Problem.badRequest("bad-level", "the analysis report is a city's or a county's: level must be city or county");
        }
        return area;
    }

    private static Semester semester(String id) {
        try {
            return Semester.parse(id);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("bad-semester", e.getMessage());
        }
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw Problem.notFound("no such analysis report");
        }
    }
}
