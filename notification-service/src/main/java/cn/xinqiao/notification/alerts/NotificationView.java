package cn.xinqiao.notification.alerts;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A person's notification as the bell shows it: the alert's text and link, whether it (or the alert) is acknowledged. */
public record NotificationView(UUID id, UUID alertId, String kind, String severity, String orgId, String title, String link, int step,
                               String rung, OffsetDateTime createdAt, OffsetDateTime ackedAt, OffsetDateTime alertAckedAt,
                               String alertAckedBy, String recipient) {

    static final String SELECT = """
            select n.id, n.alert_id, a.kind, a.severity, a.org_id, a.title, a.link, n.step, n.rung, n.created_at, n.acked_at,
                   a.acked_at, a.acked_by, n.recipient
            from notification n join alert a on a.id = n.alert_id""";

    static NotificationView of(Object[] r) {
        return new NotificationView((UUID) r[0], (UUID) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5], (String) r[6],
                ((Number) r[7]).intValue(), (String) r[8], Times.odt(r[9]), Times.odt(r[10]), Times.odt(r[11]), (String) r[12], (String) r[13]);
    }
}
