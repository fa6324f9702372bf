package cn.xinqiao.stack;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real SMTP server for the local stack (GreenMail): notification-service delivers its e-mail here, and
 * {@code http://localhost:<viewer port>/} lists what arrived (newest first) so the demo shows what an on-call person got.
 */
public final class MailServer implements AutoCloseable {

    /** One received message as plain text. */
    public record Received(List<String> to, String subject, String body, Instant receivedAt) {
    }

    private final GreenMail greenMail;
    private final HttpServer viewer;

    private MailServer(GreenMail greenMail, HttpServer viewer) {
        this.greenMail = greenMail;
        this.viewer = viewer;
    }

    /** SMTP on {@code smtpPort}; the viewer on {@code viewerPort} (0: no viewer). Both bound to localhost only. */
    public static MailServer start(int smtpPort, int viewerPort) throws IOException {
        // GreenMail logs every new mailbox at INFO: in a test JVM (slf4j-simple at INFO) that is a line per recipient
        System.setProperty("org.slf4j.simpleLogger.log.com.icegreen.greenmail", System.getProperty("org.slf4j.simpleLogger.log.com.icegreen.greenmail", "warn"));
        GreenMail mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        HttpServer http = null;
        if (viewerPort > 0) {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", viewerPort), 0);
            MailServer server = new MailServer(mail, http);
            http.createContext("/", exchange -> {
                byte[] page = server.page().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
                exchange.sendResponseHeaders(200, page.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(page);
                }
            });
            http.start();
            return server;
        }
        return new MailServer(mail, null);
    }

    public List<Received> received() {
        List<Received> out = new ArrayList<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            try {
                Address[] to = m.getAllRecipients();
                out.add(new Received(to == null ? List.of() : Arrays.stream(to).map(Address::toString).toList(), m.getSubject(),
                        GreenMailUtil.getBody(m), m.getReceivedDate() == null ? Instant.now() : m.getReceivedDate().toInstant()));
            } catch (MessagingException e) {
                throw new IllegalStateException("an unreadable message in the local mailbox", e);
            }
        }
        return out;
    }

    private String page() {
        List<Received> all = new ArrayList<>(received());
        java.util.Collections.reverse(all);
        String rows = all.stream().map(r -> "<tr><td>" + esc(r.receivedAt().toString()) + "</td><td>" + esc(String.join(", ", r.to()))
                + "</td><td>" + esc(r.subject()) + "</td><td><pre>" + esc(r.body()) + "</pre></td></tr>").collect(Collectors.joining());
        return "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>心桥 本地邮件 · Local mail</title>"
                + "<style>body{font-family:sans-serif;margin:2em}td{border-top:1px solid #ccc;padding:.4em;vertical-align:top}pre{white-space:pre-wrap;margin:0}</style>"
                + "<h1>本地邮件 Local mail (" + all.size() + ")</h1><p>./xq up 的 SMTP 服务器收到的邮件 · what the local SMTP server received</p>"
                + "<table><tr><th>时间 When</th><th>收件人 To</th><th>主题 Subject</th><th>内容 Body</th></tr>" + rows + "</table></html>";
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public void close() {
        if (viewer != null) {
            viewer.stop(0);
        }
        greenMail.stop();
    }
}
