package cn.xinqiao.platform.problem;

import cn.xinqiao.platform.problem.ProblemText.Text;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Every error leaves a service as {@code application/problem+json}. Details name fields and
 * rules, never echo submitted values (they may be a child's answers or a guardian's phone), and
 * never carry a stack trace: an unexpected failure is logged with an id the caller can quote. Titles, details and
 * field messages come from {@link ProblemText} in the reader's language ({@code Accept-Language}, zh-CN first).
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(Problem problem, UriInfo uri, HttpHeaders headers) {
        return respond(problem.toDetails(path(uri), locale(headers)));
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri, HttpHeaders headers) {
        List<ProblemDetails.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new ProblemDetails.FieldError(fieldOf(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(Comparator.comparing(ProblemDetails.FieldError::field))
                .toList();
        return respond(Problem.invalid(Text.of("detail.fields-invalid", errors.size()), errors).toDetails(path(uri), locale(headers)));
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e, UriInfo uri, HttpHeaders headers) {
        String field = jsonPath(e);
        return respond(Problem.invalid(Text.of("detail.unknown-field", e.getPropertyName()),
                List.of(ProblemDetails.FieldError.of(field, Text.of("field.unknown")))).toDetails(path(uri), locale(headers)));
    }

    @ServerExceptionMapper
    public Response wrongType(InvalidFormatException e, UriInfo uri, HttpHeaders headers) {
        return respond(Problem.invalid(Text.of("detail.wrong-type"),
                List.of(ProblemDetails.FieldError.of(jsonPath(e), Text.of("field.expected", e.getTargetType().getSimpleName()))))
                .toDetails(path(uri), locale(headers)));
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri, HttpHeaders headers) {
        String type = e.getTargetType() == null ? "another type" : e.getTargetType().getSimpleName();
        return respond(Problem.invalid(Text.of("detail.wrong-shape"),
                List.of(ProblemDetails.FieldError.of(jsonPath(e), Text.of("field.expected", type)))).toDetails(path(uri), locale(headers)));
    }

    /**
     * Jackson reports some shape mismatches as a definition problem (a string where an array of numbers belongs).
     * Its message quotes the value sent, so neither the message nor the value is logged or answered.
     */
    @ServerExceptionMapper
    public Response wrongShape(InvalidDefinitionException e, UriInfo uri, HttpHeaders headers) {
        String type = e.getType() == null ? "another type" : e.getType().getRawClass().getSimpleName();
        return respond(Problem.invalid(Text.of("detail.wrong-shape"),
                List.of(ProblemDetails.FieldError.of(jsonPath(e), Text.of("field.expected", type)))).toDetails(path(uri), locale(headers)));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e, UriInfo uri, HttpHeaders headers) {
        return respond(Problem.badRequest("malformed-json", "the body is not valid JSON")
                .withDetail(Text.of("detail.malformed-json", String.valueOf(e.getLocation().getLineNr()),
                        String.valueOf(e.getLocation().getColumnNr()))).toDetails(path(uri), locale(headers)));
    }

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e, UriInfo uri, HttpHeaders headers) {
        return unauthorized(uri, headers);
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, UriInfo uri, HttpHeaders headers) {
        return unauthorized(uri, headers);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri, HttpHeaders headers) {
        return respond(Problem.forbidden("your role or organisation does not allow this").withDetail(Text.of("detail.forbidden"))
                .toDetails(path(uri), locale(headers)));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri, HttpHeaders headers) {
        // Quarkus REST wraps body-reading failures; answer them as the body problems they are.
        if (e.getCause() instanceof JsonParseException parse) {
            return malformedJson(parse, uri, headers);
        }
        if (e.getCause() instanceof UnrecognizedPropertyException unknown) {
            return unknownField(unknown, uri, headers);
        }
        if (e.getCause() instanceof InvalidFormatException format) {
            return wrongType(format, uri, headers);
        }
        if (e.getCause() instanceof MismatchedInputException mismatch) {
            return mismatchedInput(mismatch, uri, headers);
        }
        Response original = e.getResponse();
        int status = original.getStatus();
        if (status < 400) {
            return original;
        }
        Response.StatusType info = Response.Status.fromStatusCode(status);
        String title = info == null ? "HTTP " + status : info.getReasonPhrase();
        String slug = title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
        // The framework's messages for 4xx are about the request's form (wrong media type, bad
        // parameter), never its content; a 5xx message may be anything, so it is not shown.
        String detail = status < 500 && e.getMessage() != null ? e.getMessage() : title;
        return respond(new ProblemDetails(ProblemDetails.typeUri(slug), title, status, detail, path(uri), List.of())
                .in(locale(headers), slug, null));
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, UriInfo uri, HttpHeaders headers) {
        String incident = UUID.randomUUID().toString();
        // Exception messages can quote personal data (a name in a constraint message, a phone in SQL):
        // the log gets the types and frames only, enough to find the bug, nothing about the student.
        LOG.errorf("unexpected failure, incident %s, %s%n%s", incident, path(uri), withoutMessages(e));
        Locale locale = locale(headers);
        return respond(new ProblemDetails(ProblemDetails.typeUri("internal"), "Internal error", 500,
                "the request could not be completed; quote incident " + incident, path(uri), List.of())
                .in(locale, "internal", ProblemText.format(Text.of("detail.internal", incident), locale)));
    }

    static String withoutMessages(Throwable e) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (Throwable t = e; t != null && depth < 5; t = t.getCause(), depth++) {
            out.append(depth == 0 ? "" : "caused by: ").append(t.getClass().getName()).append('\n');
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, 12); i++) {
                out.append("\tat ").append(frames[i]).append('\n');
            }
        }
        return out.toString();
    }

    private static Response unauthorized(UriInfo uri, HttpHeaders headers) {
        Locale locale = locale(headers);
        return Response.status(401)
                .header("WWW-Authenticate", "Bearer")
                .type(ProblemDetails.MEDIA_TYPE)
                .entity(new ProblemDetails(ProblemDetails.typeUri("unauthorized"), "Unauthorized", 401,
                        "a valid bearer token is required", path(uri), List.of())
                        .in(locale, "unauthorized", ProblemText.format(Text.of("detail.unauthorized"), locale)))
                .build();
    }

    private static Locale locale(HttpHeaders headers) {
        return ProblemText.localeOf(headers == null ? null : headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
    }

    private static Response respond(ProblemDetails body) {
        return Response.status(body.status()).type(ProblemDetails.MEDIA_TYPE).entity(body).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    private static String jsonPath(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        return path.isEmpty() ? "(body)" : path;
    }

    /** "submit.request.answers[3]" -> "answers[3]": callers know fields, not Java methods. */
    private static String fieldOf(String propertyPath) {
        String[] parts = propertyPath.split("\\.");
        int start = parts.length > 2 ? 2 : Math.min(1, parts.length - 1);
        return String.join(".", java.util.Arrays.copyOfRange(parts, start, parts.length));
    }
}
