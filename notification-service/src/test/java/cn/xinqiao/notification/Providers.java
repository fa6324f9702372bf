package cn.xinqiao.notification;

import cn.xinqiao.stack.MailServer;
import cn.xinqiao.testing.providers.TencentSmsServer;
import cn.xinqiao.testing.providers.WeComRobotServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.net.ServerSocket;
import java.util.Map;
import java.util.Set;

/**
 * The outside world notification-service talks to, started for its tests: a real SMTP server, a WeCom group robot
 * and a Tencent Cloud SMS endpoint that check each request as their documentation describes.
 */
public class Providers implements QuarkusTestResourceLifecycleManager {

    public static final String ROBOT_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
    public static final String SMS_TEMPLATE = "1932871";

    public static MailServer mail;
    public static WeComRobotServer wecom;
    public static TencentSmsServer sms;

    @Override
    public Map<String, String> start() {
        try {
            int smtp;
            try (ServerSocket s = new ServerSocket(0)) {
                smtp = s.getLocalPort();
            }
            mail = MailServer.start(smtp, 0);
            wecom = new WeComRobotServer(Set.of(ROBOT_KEY));
            sms = new TencentSmsServer("AKIDxinqiaotest0001", "xinqiao-test-sms-secret-key", "1400787878", "心桥平台",
                    Map.of(SMS_TEMPLATE, 2));
            return Map.of("quarkus.mailer.port", String.valueOf(smtp), "quarkus.mailer.host", "127.0.0.1",
                    "xinqiao.notify.wecom.url", wecom.url(), "xinqiao.notify.sms.url", sms.url(),
                    "xinqiao.notify.sms.sdk-app-id", "1400787878", "xinqiao.notify.sms.sign-name", "心桥平台",
                    "xinqiao.notify.sms.template-id", SMS_TEMPLATE, "xinqiao.notify.sms.secret-id", "AKIDxinqiaotest0001",
                    "xinqiao.notify.sms.secret-key", "xinqiao-test-sms-secret-key");
        } catch (Exception e) {
            throw new IllegalStateException("providers did not start", e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(mail, new TestInjector.MatchesType(MailServer.class));
        injector.injectIntoFields(wecom, new TestInjector.MatchesType(WeComRobotServer.class));
        injector.injectIntoFields(sms, new TestInjector.MatchesType(TencentSmsServer.class));
    }

    @Override
    public void stop() {
        if (mail != null) {
            mail.close();
        }
        if (wecom != null) {
            wecom.close();
        }
        if (sms != null) {
            sms.close();
        }
    }
}
