package cn.xinqiao.screening.submission;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.platform.problem.ProblemDetails;
import cn.xinqiao.platform.tenancy.Caller;
import cn.xinqiao.platform.tenancy.Role;
import cn.xinqiao.screening.submission.Submission;
import cn.xinqiao.screening.submission.SubmissionService;
import cn.xinqiao.screening.submission.SubmissionWriter;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;

@Path("/api/submissions")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SubmissionResource {


    @Inject
    cn.xinqiao.screening.helpline.HelpLines helpLines;

    @Inject
    SubmissionService submissions;

    @Inject
    SubmissionWriter writer;

    @Inject
    Caller caller;

    @Inject
    JsonWebToken token;

    public record SubmissionInput(@NotNull UUID campaignId,
                                  @NotBlank @Size(max = 10) String instrumentId,
                                  @NotNull @Size(min = 1, max = 50) int[] answers,
                                  @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_.:-]+") String clientSubmissionId,
                                  @Size(max = 32) String studentNumber,
                                  @Pattern(regexp = "ONLINE|PAPER") String mode) {
    }

    /** What the caller gets back: a {@link Receipt} (student) or a {@link PaperResult} (staff). */
    public sealed interface Reply permits Receipt, PaperResult {
    }

    /** What a student sees: a receipt and support, never a score or a risk label. */
    public record Receipt(UUID submissionId, OffsetDateTime receivedAt, String message, String messageEn, String hotline) implements Reply {
    }

    /** What a counsellor entering paper sees (they work the risk queue anyway). */
    public record PaperResult(UUID submissionId, SubmissionStatus status, String studentNumber, String instrumentId, int totalScore,
                              String band, String riskLevel, boolean criticalItem) implements Reply {
    }

    /**
     * A student's submission is queued for the group commit from the HTTP event loop, which takes the next request
     * while the group commits; the receipt is written back on the request's own event loop once the submission is
     * committed. A worker thread per waiting student (its hand-offs and wake-ups) was about a quarter of
     * screening-service's thread CPU in the benchmark. Paper entry (staff, one form at a time, audited as the
     * signed-in person) runs on a worker thread as before.
     */
    @POST
    @RolesAllowed({Role.STUDENT, Role.SCHOOL_COUNSELOR, Role.SCHOOL_ADMIN})
    @Operation(summary = "Submit answers: online with a student token, or a paper form (studentNumber, mode PAPER) by school staff")
    public Uni<RestResponse<Reply>> submit(@Valid @NotNull SubmissionInput in) {
        SubmissionService.Answers answers = new SubmissionService.Answers(in.campaignId(), in.instrumentId(), in.answers(),
                in.clientSubmissionId());
        if (!caller.hasRole(Role.STUDENT)) {
            return Uni.createFrom().item(() -> paper(in, answers)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        if (in.studentNumber() != null || "PAPER".equals(in.mode())) {
            throw Problem.invalid("a student submits only their own answers",
                    List.of(new ProblemDetails.FieldError("studentNumber", "must be absent in a student session")));
        }
        Context requestContext = Vertx.currentContext();
        Uni<SubmissionService.Outcome> committed = Uni.createFrom().completionStage(writer.submitAsync(SubmissionService.Request.online(
                UUID.fromString(token.getSubject()), UUID.fromString(token.getClaim("campaign_id").toString()), answers)));
        if (requestContext != null) {
            committed = committed.emitOn(task -> requestContext.runOnContext(ignored -> task.run()));
        }
        return committed.onFailure(CompletionException.class).transform(Throwable::getCause).map(this::receipt);
    }

    private RestResponse<Reply> receipt(SubmissionService.Outcome outcome) {
        Submission s = outcome.submission();
        String hotline = helpLines.hotline();
        return RestResponse.status(outcome.replay() ? RestResponse.Status.OK : RestResponse.Status.CREATED, new Receipt(s.id, s.submittedAt,
                "已收到你的回答，谢谢你。如果你现在感到难过或不安全，可以随时拨打 24 小时心理援助热线 " + hotline
                        + "，或告诉你信任的老师和家人。",
                "Thank you, your answers were received. If you feel sad or unsafe, call the 24-hour support line "
                        + hotline + " any time, or tell a teacher or family member you trust.", hotline));
    }

    private RestResponse<Reply> paper(SubmissionInput in, SubmissionService.Answers answers) {
        if (in.studentNumber() == null || in.studentNumber().isBlank()) {
            throw Problem.invalid("paper entry needs the student number",
                    List.of(new ProblemDetails.FieldError("studentNumber", "required for paper entry")));
        }
        String school = caller.schoolId().orElseThrow(() -> Problem.forbidden("your account has no school"));
        SubmissionService.Outcome outcome = submissions.submitPaper(school, in.studentNumber(), answers, caller.subject());
        Submission s = outcome.submission();
        return RestResponse.status(outcome.replay() ? RestResponse.Status.OK : RestResponse.Status.CREATED, new PaperResult(s.id,
                s.status, in.studentNumber(), s.instrumentId, s.totalScore, s.band, s.riskLevel, s.criticalItem));
    }
}
