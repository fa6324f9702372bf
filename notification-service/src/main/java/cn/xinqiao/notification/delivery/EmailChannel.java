package cn.xinqiao.notification.delivery;

import cn.xinqiao.notification.domain.Severity;
import cn.xinqiao.notification.preferences.ContactPreferences.ChannelId;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/** E-mail over SMTP (Quarkus Mailer): the alert's text, the deep link that acknowledges it, zh-CN then English. */
@ApplicationScoped
public class EmailChannel implements Channel {

    @Inject
    Mailer mailer;

    @Override
    public ChannelId id() {
        return ChannelId.EMAIL;
    }

    @Override
    public Optional<String> unreachable(Recipient recipient) {
        return recipient.email() == null ? Optional.of("no-email-address") : Optional.empty();
    }

    @Override
    public Outcome send(Recipient recipient, Outgoing m) {
        String subject = (m.severity() == Severity.CRITICAL ? "【危急】" : "【心桥提醒】") + m.title();
        String body = m.title() + "\n\n确认已收到并查看：" + m.link() + "\n\n"
                + "Xinqiao alert for " + m.orgName() + ". Sign in to Xinqiao to see it; the link above acknowledges it.\n"
                + "此邮件不含学生信息。This message carries no student information.\n";
        try {
            mailer.send(Mail.withText(recipient.email(), subject, body).addHeader("X-Xinqiao-Notification", m.notificationId().toString()));
            return new Outcome.Sent("smtp:250");
        } catch (RuntimeException e) {
            return new Outcome.Retry("smtp:" + e.getClass().getSimpleName());
        }
    }
}
