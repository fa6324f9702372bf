package cn.xinqiao.notification.delivery;

import cn.xinqiao.notification.preferences.ContactPreferences.ChannelId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The organisation's WeCom (企业微信) group robot: {@code POST {url}/cgi-bin/webhook/send?key=…} with a text message
 * that @-mentions the person by mobile. The robot answers {@code {"errcode":0,"errmsg":"ok"}}; 45009 (frequency
 * limit) and -1 (system busy) are worth retrying, any other code is not.
 */
@ApplicationScoped
public class WeComChannel implements Channel {

    /** A robot's text message may be at most 2,048 bytes of UTF-8. */
    static final int MAX_CONTENT_BYTES = 2048;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ConfigProperty(name = "xinqiao.notify.wecom.url")
    String url;

    @Inject
    ObjectMapper json;

    @Override
    public ChannelId id() {
        return ChannelId.WECOM;
    }

    @Override
    public Optional<String> unreachable(Recipient recipient) {
        if (recipient.wecomRobotKey() == null) {
            return Optional.of("no-wecom-robot");
        }
        return recipient.mobile() == null ? Optional.of("no-mobile") : Optional.empty();
    }

    @Override
    public Outcome send(Recipient recipient, Outgoing m) {
        String content = m.title() + "\n确认：" + m.link();
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_CONTENT_BYTES) {
            content = m.title().substring(0, Math.min(m.title().length(), 300)) + "\n确认：" + m.link();
        }
        try {
            String body = json.writeValueAsString(Map.of("msgtype", "text",
                    "text", Map.of("content", content, "mentioned_mobile_list", List.of(recipient.mobile()))));
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/cgi-bin/webhook/send?key="
                            + URLEncoder.encode(recipient.wecomRobotKey(), StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
            HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (answer.statusCode() >= 500 || answer.statusCode() == 429) {
                return new Outcome.Retry("wecom:http-" + answer.statusCode());
            }
            if (answer.statusCode() != 200) {
                return new Outcome.Failed("wecom:http-" + answer.statusCode());
            }
            JsonNode reply = json.readTree(answer.body());
            int code = reply.path("errcode").asInt(Integer.MIN_VALUE);
            if (code == 0) {
                return new Outcome.Sent("wecom:0");
            }
            return code == 45009 || code == -1 ? new Outcome.Retry("wecom:" + code) : new Outcome.Failed("wecom:" + code);
        } catch (IOException e) {
            return new Outcome.Retry("wecom:" + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Retry("wecom:interrupted");
        }
    }
}
