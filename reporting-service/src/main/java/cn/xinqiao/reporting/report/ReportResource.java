package cn.xinqiao.reporting.report;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.reporting.activity.ActivityReports;
import cn.xinqiao.reporting.careloop.CareLoopReports;
import cn.xinqiao.reporting.directory.Area;
import cn.xinqiao.reporting.directory.Areas;
import cn.xinqiao.reporting.directory.DirectoryProjection;
import cn.xinqiao.reporting.domain.Semester;
import cn.xinqiao.reporting.export.CsvExport;
import cn.xinqiao.reporting.export.PdfExport;
import cn.xinqiao.reporting.export.XlsxExport;
import cn.xinqiao.reporting.hotline.HotlineReports;
import cn.xinqiao.reporting.outreach.OutreachReports;
import cn.xinqiao.reporting.programme.ProgrammeResource;
import cn.xinqiao.reporting.supervision.SupervisionReports;
import cn.xinqiao.reporting.training.TrainingReports;
import cn.xinqiao.reporting.training.TrainingResource;
import cn.xinqiao.reporting.referral.ReferralReports;
import cn.xinqiao.reporting.screening.ScreeningFigures;
import cn.xinqiao.reporting.screening.ScreeningReports;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * The bureau's reports at school, county and city level, and their exports. Every request resolves
 * its area through {@link Areas} (400 malformed, 403 outside the caller's jurisdiction); tables come
 * back suppressed. No report carries a student's identity.
 */
@Path("/api/reports")
@Produces(MediaType.APPLICATION_JSON)
public class ReportResource {

    @Inject
    Areas areas;

    @Inject
    ScreeningReports screening;

    @Inject
    ReferralReports referrals;

    @Inject
    CareLoopReports careLoop;

    @Inject
    HotlineReports hotline;

    @Inject
    ActivityReports activities;

    @Inject
    DirectoryProjection directory;

    @Inject
    ProgrammeResource programme;

    @Inject
    TrainingReports training;

    @Inject
    OutreachReports outreach;

    @Inject
    SupervisionReports supervision;

    public record EnrolmentReport(String level, String code, long total, List<DirectoryProjection.EnrolmentRow> rows) {
    }

    @GET
    @Path("/enrolment")
    @RolesAllowed({Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN, Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR})
    @Operation(summary = "Enrolment by grade and sex under a city, county or school (the denominator of coverage)")
    public EnrolmentReport enrolment(@QueryParam("level") String level, @QueryParam("code") String code) {
        Area area = areas.resolve(level, code);
        List<DirectoryProjection.EnrolmentRow> rows = directory.byArea(area.level().id(), area.code());
        return new EnrolmentReport(area.level().id(), area.code(), rows.stream().mapToLong(DirectoryProjection.EnrolmentRow::students).sum(), rows);
    }

    @GET
    @Path("/screening/campaigns")
    @RolesAllowed({Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN, Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR})
    @Operation(summary = "Campaigns with at least one school under the area, newest first")
    public List<ScreeningFigures.CampaignInfo> campaigns(@QueryParam("level") String level, @QueryParam("code") String code) {
        return screening.campaigns(areas.resolve(level, code));
    }

    @GET
    @Path("/screening")
    @RolesAllowed({Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN, Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR})
    @Operation(summary = "Screening coverage, risk distribution, bands and modes of a campaign under an area")
    public Report screening(@QueryParam("level") String level, @QueryParam("code") String code,
                            @QueryParam("campaignId") String campaignId,
                            @QueryParam("detail") @Pattern(regexp = "true|false", message = "must be true or false") String detail) {
        return screeningReport(level, code, campaignId, Boolean.parseBoolean(detail));
    }

    @GET
    @Path("/referrals")
    @RolesAllowed({Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN, Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR})
    @Operation(summary = "Referral outcomes, escalations and timeliness (median, p90) by area, hospital and risk in a period")
    public Report referrals(@QueryParam("level") String level, @QueryParam("code") String code, @QueryParam("from") String from,
                            @QueryParam("to") String to, @QueryParam("semester") String semester) {
        return referrals.report(areas.resolve(level, code), Period.of(from, to, semester));
    }

    @GET
    @Path("/care-loop")
    @RolesAllowed({Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN, Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR})
    @Operation(summary = "The care loop in a period: cases opened by source, procedure steps and guardian contact on time, "
            + "return summaries, follow-ups on time and their outcomes, by area")
    public Report careLoop(@QueryParam("level") String level, @QueryParam("code") String code, @QueryParam("from") String from,
                           @QueryParam("to") String to, @QueryParam("semester") String semester) {
        return careLoop.report(areas.resolve(level, code), Period.of(from, to, semester), OffsetDateTime.now(ZoneOffset.UTC));
    }

    @GET
    @Path("/hotline")
    @RolesAllowed({Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN, Role.HOTLINE_SUPERVISOR})
    @Operation(summary = "Hotline calls by hour, day, channel, caller type, category and risk in a period")
    public Report hotline(@QueryParam("level") String level, @QueryParam("code") String code, @QueryParam("from") String from,
                          @QueryParam("to") String to, @QueryParam("semester") String semester) {
        return hotline.report(areas.resolve(level, code), Period.of(from, to, semester));
    }

    @GET
    @Path("/activities")
    @RolesAllowed({Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN, Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR})
    @Operation(summary = "Mandated-activity compliance per school and county for a semester, with the county ranking (laggards first)")
    public Report activities(@QueryParam("level") String level, @QueryParam("code") String code,
                             @QueryParam("semester") String semester) {
        return activitiesReport(level, code, semester);
    }

    @GET
    @Path("/training")
    @RolesAllowed({Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN, Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR})
    @Operation(summary = "Teacher training coverage in a year (every teacher trained; ≥ 5 trainings) by county, school or post — counts only")
    public Report training(@QueryParam("level") String level, @QueryParam("code") String code, @QueryParam("year") String year) {
        return training.report(areas.resolve(level, code), TrainingResource.year(year), LocalDate.now(Period.CHINA));
    }

    @GET
    @Path("/outreach")
    @RolesAllowed({Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN})
    @Operation(summary = "The hospitals' publications per quarter (≥ 1 each) and school visits in a year, most overdue first")
    public Report outreach(@QueryParam("level") String level, @QueryParam("code") String code, @QueryParam("year") String year) {
        return outreach.report(areas.resolve(level, code), TrainingResource.year(year), LocalDate.now(Period.CHINA));
    }

    @GET
    @Path("/supervision")
    @RolesAllowed({Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN, Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR})
    @Operation(summary = "Inspections and rectification items in a year by county or school: waiting, to review, closed, overdue")
    public Report supervision(@QueryParam("level") String level, @QueryParam("code") String code, @QueryParam("year") String year) {
        return supervision.report(areas.resolve(level, code), TrainingResource.year(year), LocalDate.now(Period.CHINA));
    }

    @GET
    @Path("/{kind}/export")
    @Produces({"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/pdf",
            "application/problem+json"})
    @RolesAllowed({Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN, Role.SCHOOL_ADMIN, Role.SCHOOL_COUNSELOR, Role.HOTLINE_SUPERVISOR})
    @Operation(summary = "Any report as CSV, XLSX or PDF (streamed; zh-CN headers; the same suppression as the report)")
    public Response export(@PathParam("kind") String kind, @QueryParam("format") String format,
                           @QueryParam("level") String level, @QueryParam("code") String code,
                           @QueryParam("campaignId") String campaignId, @QueryParam("from") String from,
                           @QueryParam("to") String to, @QueryParam("semester") String semester,
                           @QueryParam("metric") String metric, @QueryParam("period") String period) {
        if (format == null || !List.of("csv", "xlsx", "pdf").contains(format)) {
            throw Problem.badRequest("bad-format", "format must be csv, xlsx or pdf");
        }
        // filters are checked even where the report does not use them: bad input is refused, not ignored
        Period.of(from, to, semester);
        programme.check(metric, period);
        if (!"hotline".equals(kind) && !caller.hasAnyRole(Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN, Role.SCHOOL_ADMIN,
                Role.SCHOOL_COUNSELOR)) {
            throw Problem.forbidden("hotline supervisors export hotline reports only");
        }
        Report report = switch (kind) {
            case "screening" -> screeningReport(level, code, campaignId, true);
            case "referrals" -> referrals(level, code, from, to, semester);
            case "care-loop" -> careLoop(level, code, from, to, semester);
            case "hotline" -> {
                if (!hotlineAllowed()) {
                    throw Problem.forbidden("hotline reports are for the bureau and hotline supervisors");
                }
                yield hotline(level, code, from, to, semester);
            }
            case "activities" -> activitiesReport(level, code, semester);
            case "trends" -> programme.trends(level, code, metric);
            case "training" -> training(level, code, null);
            case "supervision" -> supervision(level, code, null);
            case "outreach" -> {
                if (!caller.hasAnyRole(Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN)) {
                    throw Problem.forbidden("the hospitals' outreach report is the bureau's");
                }
                yield outreach(level, code, null);
            }
            case "rankings" -> {
                if (!caller.hasAnyRole(Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN)) {
                    throw Problem.forbidden("rankings are the bureau's");
                }
                yield programme.rankings(level, code, metric, period);
            }
            default -> throw Problem.notFound("no such report: use screening, referrals, care-loop, hotline, activities, trends, rankings, training, outreach or supervision");
        };
        StreamingOutput body = switch (format) {
            case "csv" -> out -> CsvExport.write(report, out);
            case "xlsx" -> out -> XlsxExport.write(report, out);
            default -> out -> PdfExport.write(report, out);
        };
        String type = switch (format) {
            case "csv" -> "text/csv; charset=UTF-8";
            case "xlsx" -> "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            default -> "application/pdf";
        };
        String file = "xinqiao-" + kind + "-" + report.level() + "-" + report.code() + "-" + LocalDate.now(Period.CHINA) + "." + format;
        String zhName = report.title().replaceAll("[\\\\/:*?\"<>|·\\s]+", "_") + "-" + report.name() + "." + format;
        return Response.ok(body, type)
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"; filename*=UTF-8''"
                        + URLEncoder.encode(zhName, StandardCharsets.UTF_8).replace("+", "%20"))
                .header("Cache-Control", "no-store")
                .build();
    }

    @Inject
    cn.xinqiao.platform.tenancy.Caller caller;

    private boolean hotlineAllowed() {
        return caller.hasAnyRole(Role.BUREAU_ANALYST, Role.EXPERT_REVIEWER, Role.PLATFORM_ADMIN, Role.HOTLINE_SUPERVISOR);
    }

    private Report screeningReport(String level, String code, String campaignId, boolean detail) {
        Area area = areas.resolve(level, code);
        UUID id;
        try {
            id = UUID.fromString(campaignId == null ? "" : campaignId);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("bad-campaign", "campaignId must be a campaign's UUID (see /api/reports/screening/campaigns)");
        }
        return screening.report(area, id, detail);
    }

    private Report activitiesReport(String level, String code, String semester) {
        Semester s;
        try {
            s = semester == null || semester.isBlank() ? Semester.containing(LocalDate.now(Period.CHINA)) : Semester.parse(semester);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("bad-semester", e.getMessage());
        }
        return activities.report(areas.resolve(level, code), s, LocalDate.now(Period.CHINA));
    }
}
