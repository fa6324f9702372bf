package cn.xinqiao.reporting.programme;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.reporting.directory.Area;
import cn.xinqiao.reporting.directory.Areas;
import cn.xinqiao.reporting.report.Period;
import cn.xinqiao.reporting.report.Report;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/**
 * The programme across semesters and areas: trends, rankings with their rules, and the monthly bulletin (通报).
 * Areas resolve through {@link Areas} (400 malformed, 403 outside the caller's jurisdiction); hotline figures only
 * for those who may read hotline reports. No student's identity in any of them.
 */
@Path("/api/reports")
@Produces(MediaType.APPLICATION_JSON)
public class ProgrammeResource {

    @Inject
    Areas areas;

    @Inject
    ProgrammeReports programme;

    @Inject
    Bulletin bulletin;

    @Inject
    Caller caller;

    @GET
    @Path("/trends")
    @RolesAllowed({Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN, Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR})
    @Operation(summary = "A metric (or every metric) semester by semester for a city, county or school: coverage, risk, referral "
            + "timeliness, follow-ups on time, hotline calls, activity compliance — as the owning reports show them")
    public Report trends(@QueryParam("level") String level, @QueryParam("code") String code, @QueryParam("metric") String metric) {
        return programme.trends(areas.resolve(level, code), metrics(metric), LocalDate.now(Period.CHINA));
    }

    @GET
    @Path("/rankings")
    @RolesAllowed({Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN})
    @Operation(summary = "The counties of a city (or the schools of a county) ranked on a metric in a semester or month, "
            + "laggards first, with the rule next to each table")
    public Report rankings(@QueryParam("level") String level, @QueryParam("code") String code, @QueryParam("metric") String metric,
                           @QueryParam("period") String period) {
        return programme.rankings(areas.resolve(level, code), metrics(metric), window(period));
    }

    /** The filters of trends and rankings, checked wherever they are sent (an export of another report too). */
    public void check(String metric, String period) {
        metrics(metric);
        window(period);
    }

    private static Window window(String period) {
        try {
            return Window.parse(period, LocalDate.now(Period.CHINA));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("bad-period", e.getMessage());
        }
    }

    @GET
    @Path("/bulletin")
    @Produces({"application/pdf", "application/problem+json"})
    @RolesAllowed({Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN})
    @Operation(summary = "The monthly bulletin (通报) of a city or county as PDF: figures, trends, rankings, schools behind — counts only")
    public Response bulletin(@QueryParam("level") String level, @QueryParam("code") String code, @QueryParam("month") String month) {
        YearMonth m;
        try {
            m = month == null || month.isBlank() ? YearMonth.now(Period.CHINA) : YearMonth.parse(month);
        } catch (java.time.format.DateTimeParseException e) {
            throw Problem.badRequest("bad-month", "month must look like 2026-11");
        }
        if (m.getYear() < 2000 || m.isAfter(YearMonth.now(Period.CHINA))) {
            throw Problem.badRequest("bad-month", "month must be a month that has begun");
        }
        Area area = areas.resolve(level, code);
        if (area.isSchool()) {
            throw Problem.badRequest("bad-level", "the bulletin is a city's or a county's: level must be city or county");
        }
        Bulletin.Content content = bulletin.content(area, m, LocalDate.now(Period.CHINA));
        StreamingOutput body = out -> bulletin.write(content, out);
        String file = "xinqiao-bulletin-" + area.code() + "-" + m + ".pdf";
        String zhName = area.name() + "心理健康工作通报-" + m + ".pdf";
        return Response.ok(body, "application/pdf")
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"; filename*=UTF-8''"
                        + URLEncoder.encode(zhName, StandardCharsets.UTF_8).replace("+", "%20"))
                .header("Cache-Control", "no-store")
                .build();
    }

    /** The metrics asked for; hotline figures only for those who may read hotline reports. */
    private List<Metric> metrics(String metric) {
        List<Metric> list;
        try {
            list = Metric.parse(metric);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("bad-metric", e.getMessage());
        }
        if (hotlineAllowed()) {
            return list;
        }
        if (metric != null && list.contains(Metric.HOTLINE)) {
            throw Problem.forbidden("hotline figures are for the bureau and hotline supervisors");
        }
        return list.stream().filter(x -> x != Metric.HOTLINE).toList();
    }

    private boolean hotlineAllowed() {
        return caller.hasAnyRole(Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN, Role.HOTLINE_SUPERVISOR);
    }
}
