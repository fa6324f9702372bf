package cn.xinqiao.platform.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a declared oversized body before reading it, with a problem+json 413 (the framework's
 * own limit, {@code quarkus.http.limits.max-body-size}, still guards chunked bodies with a bare 413).
 * JSON requests may be at most {@code xinqiao.http.max-json-body}; file uploads (paths matching
 * {@code xinqiao.http.upload-paths}) may use the framework's whole limit.
 */
@ApplicationScoped
public class BodyLimitFilter {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M")
    MemorySize maxBodySize;

    @ConfigProperty(name = "xinqiao.http.max-json-body", defaultValue = "1M")
    MemorySize maxJsonBody;

    /** A service that takes file uploads names their paths; by default every body is JSON-sized. */
    @ConfigProperty(name = "xinqiao.http.upload-paths", defaultValue = "(?!)")
    java.util.regex.Pattern uploadPaths;

    void register(@Observes Filters filters) {
        long uploadLimit = maxBodySize.asLongValue();
        long jsonLimit = Math.min(maxJsonBody.asLongValue(), uploadLimit);
        filters.register(rc -> {
            String declared = rc.request().getHeader("Content-Length");
            long length;
            try {
                length = declared == null ? -1 : Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                length = -1;
            }
            // the path is only matched for a body over the JSON limit (every request passes here)
            long limit = length <= jsonLimit ? jsonLimit : uploadPaths.matcher(rc.normalizedPath()).matches() ? uploadLimit : jsonLimit;
            if (length > limit) {
                rc.response().setStatusCode(413)
                        .putHeader("Content-Type", ProblemDetails.MEDIA_TYPE)
                        .putHeader("Connection", "close")
                        .end("{\"type\":\"https://xinqiao.cn/problems/body-too-large\",\"title\":\"Payload too large\","
                                + "\"status\":413,\"detail\":\"the body may be at most " + limit + " bytes\"}");
                return;
            }
            rc.next();
        }, 1000);
    }
}
