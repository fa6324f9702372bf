package cn.xinqiao.platform.problem;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** The RFC 9457 body. {@code errors} lists each invalid field for validation failures. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProblemDetails(String type, String title, int status, String detail, String instance,
                             List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    private static final String TYPE_BASE = "https://xinqiao.cn/problems/";

    /** One invalid field; {@code text}, when given, is the catalogue message the reader sees in their language. */
    public record FieldError(String field, String message, @JsonIgnore ProblemText.Text text) {

        public FieldError(String field, String message) {
            this(field, message, null);
        }

        /** A field message from the catalogue ({@link ProblemText}); {@code message} keeps its English. */
        public static FieldError of(String field, ProblemText.Text text) {
            return new FieldError(field, ProblemText.format(text, java.util.Locale.ENGLISH), text);
        }

        FieldError in(java.util.Locale locale) {
            return text == null ? this : new FieldError(field, ProblemText.format(text, locale), text);
        }
    }

    /** The same problem in the reader's language: the title from the catalogue, field messages that have a catalogue text. */
    ProblemDetails in(java.util.Locale locale, String slug, String localizedDetail) {
        return new ProblemDetails(type, ProblemText.title(slug, status, title, locale), status,
                localizedDetail != null ? localizedDetail : detail, instance,
                errors == null ? null : errors.stream().map(e -> e.in(locale)).toList());
    }

    static String typeUri(String slug) {
        return slug == null ? "about:blank" : TYPE_BASE + slug;
    }
}
