package cn.xinqiao.screening.submission;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.screening.roster.RosterFiles;
import cn.xinqiao.screening.submission.Submission;
import cn.xinqiao.screening.submission.SubmissionService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Paper questionnaires in bulk: a CSV with {@code studentNumber,instrumentId,a1,a2,...}. Each row is its own
 * transaction with its own result (a bad row never blocks the good ones); the row's client id is derived from
 * campaign + student + instrument + line content, so uploading the same file twice stores nothing new.
 */
@Path("/api/campaigns/{id}/paper-submissions")
@RolesAllowed({Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
public class PaperBatchResource {

    @Inject
    SubmissionService submissions;

    @Inject
    Caller caller;

    public record RowResult(int line, String studentNumber, String instrumentId, String outcome, String riskLevel,
                            List<String> errors) {
    }

    public record BatchResult(int rows, int stored, int replayed, int conflicts, int failed, List<RowResult> results) {
    }

    @POST
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Bulk paper entry from CSV (studentNumber,instrumentId,a1..aN) with row-level results")
    public BatchResult upload(@PathParam("id") UUID campaignId, byte[] content) {
        String school = caller.schoolId().orElseThrow(() -> Problem.forbidden("your account has no school"));
        List<List<String>> rows = RosterFiles.csvRows(content);
        if (rows.size() < 2) {
            throw Problem.badRequest("empty-file", "the file has no rows under its header");
        }
        List<RowResult> results = new ArrayList<>();
        int stored = 0, replayed = 0, conflicts = 0, failed = 0;
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.stream().allMatch(String::isBlank)) {
                continue;
            }
            int line = r + 1;
            String number = row.isEmpty() ? "" : row.get(0).trim();
            String instrument = row.size() < 2 ? "" : row.get(1).trim();
            try {
                int[] answers = row.subList(Math.min(2, row.size()), row.size()).stream().filter(s -> !s.isBlank())
                        .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
                String clientId = "paper-" + UUID.nameUUIDFromBytes((campaignId + "|" + number + "|" + instrument + "|"
                        + String.join(",", row)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                SubmissionService.Outcome outcome = submissions.submitPaper(school, number,
                        new SubmissionService.Answers(campaignId, instrument, answers, clientId), caller.subject());
                Submission s = outcome.submission();
                String what = outcome.replay() ? "REPLAYED" : s.status.name();
                if (outcome.replay()) {
                    replayed++;
                } else if (s.status == SubmissionStatus.CONFLICT) {
                    conflicts++;
                } else {
                    stored++;
                }
                results.add(new RowResult(line, number, instrument, what, s.riskLevel, List.of()));
            } catch (NumberFormatException e) {
                failed++;
                results.add(new RowResult(line, number, instrument, "FAILED", null, List.of("answers must be whole numbers")));
            } catch (Problem p) {
                failed++;
                List<String> errors = p.toDetails(null).errors().isEmpty() ? List.of(p.getMessage())
                        : p.toDetails(null).errors().stream().map(e -> e.field() + ": " + e.message()).toList();
                results.add(new RowResult(line, number, instrument, "FAILED", null, errors));
            }
        }
        return new BatchResult(results.size(), stored, replayed, conflicts, failed, results);
    }
}
