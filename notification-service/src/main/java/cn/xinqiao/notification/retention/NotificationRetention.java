package cn.xinqiao.notification.retention;

import cn.xinqiao.platform.retention.RetentionRule;
import cn.xinqiao.platform.retention.RetentionRules;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Period;
import java.util.List;

/** notification-service's retention schedule (docs/privacy.md): alerts with who was told and every delivery attempt. */
@ApplicationScoped
public class NotificationRetention implements RetentionRules {

    private static final String OLD = "select id from alert where created_at < ? and (acked_at is not null or next_step_at is null) limit ?";

    @Override
    public List<RetentionRule> rules() {
        return List.of(new RetentionRule("alerts", "alerts, who was told, delivery attempts (settled ones)",
                "answers \"who was told, when\" for a review of an incident; a year covers any review", Period.ofYears(1),
                "select count(*) from alert where created_at < ? and (acked_at is not null or next_step_at is null)",
                List.of("delete from delivery where notification_id in (select id from notification where alert_id in (" + OLD + "))",
                        "delete from notification where alert_id in (" + OLD + ")",
                        "delete from alert where id in (" + OLD + ")")));
    }
}
