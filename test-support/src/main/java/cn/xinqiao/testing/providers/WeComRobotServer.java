package cn.xinqiao.testing.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A local WeCom (企业微信) group robot, checking each request as the robot documentation describes:
 * {@code POST /cgi-bin/webhook/send?key=<robot key>} with a JSON body; {@code msgtype} "text" needs
 * {@code text.content} (at most 2,048 bytes of UTF-8), {@code mentioned_mobile_list} is a list of mobile numbers.
 * Answers {@code {"errcode":0,"errmsg":"ok"}}; an unknown key 93000 (invalid webhook url), another message type 40008,
 * a missing or too long content 44004 / 40058; queued faults (e.g. 45009, the frequency limit) answer as the robot would.
 */
public final class WeComRobotServer extends ProviderServer {

    /** A message the robot accepted. */
    public record Message(String key, String content, List<String> mentionedMobiles) {
    }

    private final Set<String> keys;
    private final List<Message> accepted = new ArrayList<>();
    private final List<String> rawBodies = new ArrayList<>();

    public WeComRobotServer(Set<String> keys) throws IOException {
        super("/cgi-bin/webhook/send");
        this.keys = Set.copyOf(keys);
    }

    @Override
    void handle(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, "{}");
            return;
        }
        String query = exchange.getRequestURI().getRawQuery();
        String key = query != null && query.startsWith("key=") ? java.net.URLDecoder.decode(query.substring(4), StandardCharsets.UTF_8) : null;
        String raw = body(exchange);
        synchronized (this) {
            rawBodies.add(raw);
        }
        if (key == null || !keys.contains(key)) {
            answer(exchange, 200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url, hint: [local]\"}");
            return;
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        JsonNode body;
        try {
            body = JSON.readTree(raw);
        } catch (IOException e) {
            answer(exchange, 200, "{\"errcode\":40016,\"errmsg\":\"invalid json\"}");
            return;
        }
        if (contentType == null || !contentType.startsWith("application/json")) {
            answer(exchange, 200, "{\"errcode\":40016,\"errmsg\":\"invalid content type\"}");
            return;
        }
        if (!"text".equals(body.path("msgtype").asText())) {
            answer(exchange, 200, "{\"errcode\":40008,\"errmsg\":\"invalid message type\"}");
            return;
        }
        String content = body.path("text").path("content").asText("");
        if (content.isEmpty()) {
            answer(exchange, 200, "{\"errcode\":44004,\"errmsg\":\"empty content\"}");
            return;
        }
        if (content.getBytes(StandardCharsets.UTF_8).length > 2048) {
            answer(exchange, 200, "{\"errcode\":40058,\"errmsg\":\"content exceed max length\"}");
            return;
        }
        List<String> mobiles = new ArrayList<>();
        body.path("text").path("mentioned_mobile_list").forEach(m -> mobiles.add(m.asText()));
        String fault = nextFault();
        if (fault != null) {
            answer(exchange, 200, "{\"errcode\":" + Integer.parseInt(fault) + ",\"errmsg\":\"api freq out of limit\"}");
            return;
        }
        synchronized (this) {
            accepted.add(new Message(key, content, mobiles));
        }
        answer(exchange, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
    }

    public synchronized List<Message> accepted() {
        return List.copyOf(accepted);
    }

    /** Every body posted, accepted or not (for scanning what left the service). */
    public synchronized List<String> rawBodies() {
        return List.copyOf(rawBodies);
    }
}
