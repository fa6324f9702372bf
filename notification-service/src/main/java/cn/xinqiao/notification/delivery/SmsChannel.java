package cn.xinqiao.notification.delivery;

import cn.xinqiao.notification.domain.Severity;
import cn.xinqiao.notification.preferences.ContactPreferences.ChannelId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SMS through Tencent Cloud SMS API 3.0 ({@code SendSms}, version 2021-01-11, signed TC3-HMAC-SHA256). The approved
 * template takes two parameters: the organisation (at most 12 characters) and the urgency ("危急" / "重要"), e.g.
 * "{1}有1条心桥{2}提醒待处理，请尽快登录心桥查看并确认。" — no link, no student. The answer is read as documented: a
 * request-level {@code Response.Error.Code}, else the number's {@code SendStatusSet[0].Code} ("Ok"). Rate limits
 * ({@code LimitExceeded.*}), {@code InternalError.*} and {@code RequestLimitExceeded} are retried; anything else (a wrong
 * signature, an unapproved template, a bad number, no balance) moves on to the next channel.
 */
@ApplicationScoped
public class SmsChannel implements Channel {

    static final String VERSION = "2021-01-11";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ConfigProperty(name = "xinqiao.notify.sms.url")
    String url;
    @ConfigProperty(name = "xinqiao.notify.sms.region")
    String region;
    @ConfigProperty(name = "xinqiao.notify.sms.sdk-app-id")
    Optional<String> sdkAppId;
    @ConfigProperty(name = "xinqiao.notify.sms.sign-name")
    Optional<String> signName;
    @ConfigProperty(name = "xinqiao.notify.sms.template-id")
    Optional<String> templateId;
    @ConfigProperty(name = "xinqiao.notify.sms.secret-id")
    Optional<String> secretId;
    @ConfigProperty(name = "xinqiao.notify.sms.secret-key")
    Optional<String> secretKey;

    @Inject
    ObjectMapper json;

    @Override
    public ChannelId id() {
        return ChannelId.SMS;
    }

    boolean configured() {
        return sdkAppId.isPresent() && signName.isPresent() && templateId.isPresent() && secretId.isPresent() && secretKey.isPresent();
    }

    @Override
    public Optional<String> unreachable(Recipient recipient) {
        if (!configured()) {
            return Optional.of("sms-not-configured");
        }
        return recipient.mobile() == null ? Optional.of("no-mobile") : Optional.empty();
    }

    @Override
    public Outcome send(Recipient recipient, Outgoing m) {
        String org = m.orgName().length() > 12 ? m.orgName().substring(0, 12) : m.orgName();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("PhoneNumberSet", List.of("+86" + recipient.mobile()));
        body.put("SmsSdkAppId", sdkAppId.orElseThrow());
        body.put("SignName", signName.orElseThrow());
        body.put("TemplateId", templateId.orElseThrow());
        body.put("TemplateParamSet", List.of(org, m.severity() == Severity.CRITICAL ? "危急" : "重要"));
        body.put("SessionContext", m.notificationId().toString());
        try {
            String payload = json.writeValueAsString(body);
            URI uri = URI.create(url + "/");
            Instant now = Instant.now();
            String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", Tc3Signer.CONTENT_TYPE)
                    .header("X-TC-Action", "SendSms").header("X-TC-Version", VERSION).header("X-TC-Region", region)
                    .header("X-TC-Timestamp", Long.toString(now.getEpochSecond()))
                    .header("Authorization", Tc3Signer.authorization(secretId.orElseThrow(), secretKey.orElseThrow(), "sms", host, payload, now))
                    .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8)).build();
            HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (answer.statusCode() >= 500) {
                return new Outcome.Retry("sms:http-" + answer.statusCode());
            }
            JsonNode response = json.readTree(answer.body()).path("Response");
            String error = response.path("Error").path("Code").asText(null);
            if (error != null) {
                return transient_(error) ? new Outcome.Retry("sms:" + error) : new Outcome.Failed("sms:" + error);
            }
            JsonNode status = response.path("SendStatusSet").path(0);
            String code = status.path("Code").asText("missing");
            if ("Ok".equals(code)) {
                return new Outcome.Sent("sms:Ok:" + status.path("SerialNo").asText(""));
            }
            return transient_(code) ? new Outcome.Retry("sms:" + code) : new Outcome.Failed("sms:" + code);
        } catch (IOException e) {
            return new Outcome.Retry("sms:" + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Retry("sms:interrupted");
        }
    }

    static boolean transient_(String code) {
        return code.startsWith("LimitExceeded.") || code.startsWith("InternalError") || code.equals("RequestLimitExceeded");
    }
}
