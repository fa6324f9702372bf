package cn.xinqiao.testing.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Tencent Cloud SMS endpoint (API 3.0, {@code SendSms}, version 2021-01-11) that checks each request as the
 * documentation describes: the {@code X-TC-*} headers, a timestamp within 5 minutes, the TC3-HMAC-SHA256
 * {@code Authorization} recomputed here from the canonical request (its own implementation, not the client's), the
 * SDK app id, the approved signature name and template (and its parameter count), and each number in E.164.
 * Answers with the documented shapes: {@code Response.SendStatusSet[].Code = "Ok"}, a request error in
 * {@code Response.Error.Code} (AuthFailure.SignatureFailure, AuthFailure.SignatureExpire, AuthFailure.SecretIdNotFound,
 * MissingParameter, …) or a per-number code (FailedOperation.TemplateIncorrectOrUnapproved,
 * InvalidParameterValue.IncorrectPhoneNumber, …). Queued faults answer with the given code for one number.
 */
public final class TencentSmsServer extends ProviderServer {

    /** A message accepted for one number. */
    public record Sms(String phone, String templateId, List<String> params, String sessionContext) {
    }

    private static final Pattern AUTH = Pattern.compile(
            "TC3-HMAC-SHA256 Credential=([^/]+)/(\\d{4}-\\d{2}-\\d{2})/sms/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})");

    private final String secretId;
    private final String secretKey;
    private final String sdkAppId;
    private final String signName;
    /** Approved templates: id → number of parameters. */
    private final Map<String, Integer> templates;
    private final List<Sms> accepted = new ArrayList<>();
    private final List<String> rawBodies = new ArrayList<>();

    public TencentSmsServer(String secretId, String secretKey, String sdkAppId, String signName, Map<String, Integer> templates) throws IOException {
        super("/");
        this.secretId = secretId;
        this.secretKey = secretKey;
        this.sdkAppId = sdkAppId;
        this.signName = signName;
        this.templates = Map.copyOf(templates);
    }

    @Override
    void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        String raw = body(exchange);
        synchronized (this) {
            rawBodies.add(raw);
        }
        var h = exchange.getRequestHeaders();
        if (!"POST".equals(exchange.getRequestMethod()) || !"SendSms".equals(h.getFirst("X-TC-Action"))) {
            error(exchange, requestId, "InvalidAction", "the action is not SendSms");
            return;
        }
        if (!"2021-01-11".equals(h.getFirst("X-TC-Version"))) {
            error(exchange, requestId, "NoSuchVersion", "the version is not 2021-01-11");
            return;
        }
        if (h.getFirst("X-TC-Region") == null) {
            error(exchange, requestId, "MissingParameter", "X-TC-Region is required");
            return;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(h.getFirst("X-TC-Timestamp"));
        } catch (RuntimeException e) {
            error(exchange, requestId, "MissingParameter", "X-TC-Timestamp is required");
            return;
        }
        if (Math.abs(Instant.now().getEpochSecond() - timestamp) > 300) {
            error(exchange, requestId, "AuthFailure.SignatureExpire", "the signature expired");
            return;
        }
        Matcher auth = AUTH.matcher(h.getFirst("Authorization") == null ? "" : h.getFirst("Authorization"));
        if (!auth.matches()) {
            error(exchange, requestId, "AuthFailure.InvalidAuthorization", "Authorization is malformed");
            return;
        }
        if (!secretId.equals(auth.group(1))) {
            error(exchange, requestId, "AuthFailure.SecretIdNotFound", "the SecretId does not exist");
            return;
        }
        String date = Instant.ofEpochSecond(timestamp).atOffset(ZoneOffset.UTC).toLocalDate().toString();
        if (!date.equals(auth.group(2)) || !expectedSignature(exchange, auth.group(3), raw, timestamp, date).equals(auth.group(4))) {
            error(exchange, requestId, "AuthFailure.SignatureFailure", "the signature does not match");
            return;
        }
        JsonNode body = JSON.readTree(raw);
        if (!sdkAppId.equals(body.path("SmsSdkAppId").asText())) {
            error(exchange, requestId, "FailedOperation.MissingSmsSdkAppId", "unknown SmsSdkAppId");
            return;
        }
        List<Map<String, Object>> statuses = new ArrayList<>();
        String template = body.path("TemplateId").asText();
        List<String> params = new ArrayList<>();
        body.path("TemplateParamSet").forEach(p -> params.add(p.asText()));
        for (JsonNode phone : body.path("PhoneNumberSet")) {
            String code;
            String number = phone.asText();
            String fault = nextFault();
            if (fault != null) {
                code = fault;
            } else if (!signName.equals(body.path("SignName").asText())) {
                code = "FailedOperation.SignatureIncorrectOrUnapproved";
            } else if (!templates.containsKey(template)) {
                code = "FailedOperation.TemplateIncorrectOrUnapproved";
            } else if (templates.get(template) != params.size() || params.stream().anyMatch(p -> p.isEmpty() || p.length() > 12)) {
                code = "FailedOperation.TemplateParamSetNotMatchApprovedTemplate";
            } else if (!number.matches("\\+861[3-9]\\d{9}")) {
                code = "InvalidParameterValue.IncorrectPhoneNumber";
            } else {
                code = "Ok";
                synchronized (this) {
                    accepted.add(new Sms(number, template, List.copyOf(params), body.path("SessionContext").asText(null)));
                }
            }
            statuses.add(Map.of("SerialNo", "Ok".equals(code) ? UUID.randomUUID().toString() : "", "PhoneNumber", number,
                    "Fee", "Ok".equals(code) ? 1 : 0, "SessionContext", body.path("SessionContext").asText(""), "Code", code,
                    "Message", "Ok".equals(code) ? "send success" : code, "IsoCode", "CN"));
        }
        answer(exchange, 200, JSON.writeValueAsString(Map.of("Response", Map.of("SendStatusSet", statuses, "RequestId", requestId))));
    }

    private String expectedSignature(HttpExchange exchange, String signedHeaders, String payload, long timestamp, String date) {
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signedHeaders.split(";")) {
            String value = name.equals("host") ? exchange.getRequestHeaders().getFirst("Host") : exchange.getRequestHeaders().getFirst(name);
            canonicalHeaders.append(name).append(':').append(value == null ? "" : value.trim().toLowerCase()).append('\n');
        }
        String canonical = "POST\n/\n\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + hex(sha256(payload.getBytes(StandardCharsets.UTF_8)));
        String scope = date + "/sms/tc3_request";
        String toSign = "TC3-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] k = mac(("TC3" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        k = mac(k, "sms");
        k = mac(k, "tc3_request");
        return hex(mac(k, toSign));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] mac(byte[] key, String data) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private void error(HttpExchange exchange, String requestId, String code, String message) throws IOException {
        answer(exchange, 200, JSON.writeValueAsString(Map.of("Response", Map.of("Error", Map.of("Code", code, "Message", message),
                "RequestId", requestId))));
    }

    public synchronized List<Sms> accepted() {
        return List.copyOf(accepted);
    }

    public synchronized List<String> rawBodies() {
        return List.copyOf(rawBodies);
    }
}
