package cn.xinqiao.platform.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a declared oversized body before reading it, with a problem+json 413. JSON requests may be at most
 * {@code xinqiao.http.max-json-body}; file uploads (paths matching {@code xinqiao.http.upload-paths}) may use the
 * framework's whole limit ({@code quarkus.http.limits.max-body-size}). A body of undeclared length (chunked) is taken
 * only on an upload path, where the framework's limit guards it; elsewhere it is refused (411) — otherwise a chunked
 * JSON body could be as large as an upload.
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
            if (length < 0 && rc.request().headers().contains("Transfer-Encoding") && !uploadPaths.matcher(rc.normalizedPath()).matches()) {
                rc.response().setStatusCode(411)
                        .putHeader("Content-Type", ProblemDetails.MEDIA_TYPE)
                        .putHeader("Connection", "close")
                        .end("{\"type\":\"https://xinqiao.cn/problems/length-required\",\"title\":\"Length required\","
                                + "\"status\":411,\"detail\":\"send the body with a Content-Length (at most " + jsonLimit + " bytes)\"}");
                return;
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
