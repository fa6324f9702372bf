package cn.xinqiao.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** The RFC 9457 body. {@code errors} lists each invalid field for validation failures. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProblemDetails(String type, String title, int status, String detail, String instance,
                             List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    private static final String TYPE_BASE = "https://xinqiao.cn/problems/";

    public record FieldError(String field, String message) {
    }

    static String typeUri(String slug) {
        return slug == null ? "about:blank" : TYPE_BASE + slug;
    }
}
