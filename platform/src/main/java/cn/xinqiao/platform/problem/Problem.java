package cn.xinqiao.platform.problem;

import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * A client-facing failure, rendered as RFC 9457 {@code application/problem+json}. The detail is
 * shown to the caller: write it for a counsellor or a hospital integrator, and never put personal
 * data in it.
 */
public class Problem extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<ProblemDetails.FieldError> errors;
    private final ProblemText.Text detailText;

    public Problem(int status, String type, String title, String detail, List<ProblemDetails.FieldError> errors) {
        this(status, type, title, detail, errors, null);
    }

    private Problem(int status, String type, String title, String detail, List<ProblemDetails.FieldError> errors,
                    ProblemText.Text detailText) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.detailText = detailText;
    }

    /** The same problem whose detail the reader sees from the catalogue, in their language. */
    public Problem withDetail(ProblemText.Text text) {
        return new Problem(status, type, title, ProblemText.format(text, java.util.Locale.ENGLISH), errors, text);
    }

    public static Problem badRequest(String type, String detail) {
        return new Problem(400, type, "Bad request", detail, null);
    }

    public static Problem invalid(String detail, List<ProblemDetails.FieldError> errors) {
        return new Problem(400, "validation", "Validation failed", detail, errors);
    }

    public static Problem notFound(String what) {
        return new Problem(404, "not-found", "Not found", what + " was not found", null);
    }

    public static Problem invalid(ProblemText.Text detail, List<ProblemDetails.FieldError> errors) {
        return invalid(ProblemText.format(detail, java.util.Locale.ENGLISH), errors).withDetail(detail);
    }

    public static Problem forbidden(String detail) {
        return new Problem(403, "forbidden", "Forbidden", detail, null);
    }

    public static Problem conflict(String type, String detail) {
        return new Problem(409, type, "Conflict", detail, null);
    }

    public static Problem unprocessable(String type, String detail) {
        return new Problem(422, type, "Unprocessable request", detail, null);
    }

    /** A dependency this request needs is down; the client may retry. */
    public static Problem unavailable(String type, String detail) {
        return new Problem(503, type, "Service unavailable", detail, null);
    }

    public static Problem tooManyRequests(String detail) {
        return new Problem(429, "too-many-requests", "Too many requests", detail, null);
    }

    public int status() {
        return status;
    }

    /** The problem type's short name, e.g. {@code illegal-transition}. */
    public String type() {
        return type;
    }

    public ProblemDetails toDetails(String instance) {
        return new ProblemDetails(ProblemDetails.typeUri(type), title, status, getMessage(), instance, errors);
    }

    /** The problem details in the reader's language. */
    public ProblemDetails toDetails(String instance, java.util.Locale locale) {
        return toDetails(instance).in(locale, type, detailText == null ? null : ProblemText.format(detailText, locale));
    }

    public Response.Status.Family family() {
        return Response.Status.Family.familyOf(status);
    }
}
