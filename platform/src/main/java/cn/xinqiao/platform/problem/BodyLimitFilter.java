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
                refuse(rc.response(), 411, "length-required", "Length required",
                        "send the body with a Content-Length (at most " + jsonLimit + " bytes)");
                return;
            }
            // the path is only matched for a body over the JSON limit (every request passes here)
            long limit = length <= jsonLimit ? jsonLimit : uploadPaths.matcher(rc.normalizedPath()).matches() ? uploadLimit : jsonLimit;
            if (length > limit) {
                refuse(rc.response(), 413, "body-too-large", "Payload too large", "the body may be at most " + limit + " bytes");
                return;
            }
            rc.next();
        }, 1000);
    }

    /** A problem+json answer before the body is read; the connection closes so the unread body is not kept. */
    private static void refuse(io.vertx.core.http.HttpServerResponse response, int status, String type, String title, String detail) {
        response.setStatusCode(status).putHeader("Content-Type", ProblemDetails.MEDIA_TYPE).putHeader("Connection", "close")
                .end("{\"type\":\"https://xinqiao.cn/problems/" + type + "\",\"title\":\"" + title + "\",\"status\":" + status
                        + ",\"detail\":\"" + detail + "\"}");
    }
}
