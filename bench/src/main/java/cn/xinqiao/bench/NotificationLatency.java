package cn.xinqiao.bench;

import cn.xinqiao.stack.PostgresServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * From a critical answer to the first person told (issue 27), under the screening benchmark's load: for each referral
 * the run raised at the benchmark school, the time from the referral request (written in the submission's own
 * transaction) to notification-service's first notification for the partner hospital (the row the live bell streams at
 * once), and to its e-mail leaving for the SMTP server. Read from the two databases afterwards; every clock is this
 * machine's.
 */
final class NotificationLatency {

    private NotificationLatency() {
    }

    /** Milliseconds per referral: to the in-app notification and to the e-mail sent; referrals without one are counted. */
    record Figures(long[] inAppMillis, long[] emailMillis, int referrals, int notNotified) {
        String describe() {
            return String.format("%d critical referrals: → first notification p50 %d ms, p99 %d ms; → e-mail sent p50 %d ms, p99 %d ms;"
                            + " not notified %d", referrals, p(inAppMillis, 50), p(inAppMillis, 99), p(emailMillis, 50), p(emailMillis, 99),
                    notNotified);
        }
    }

    static Figures since(int pgPort, String schoolId, Instant since) throws SQLException {
        Map<String, Instant> requested = new HashMap<>();
        try (Connection c = connect(pgPort, "referral"); var st = c.prepareStatement(
                "select id::text, first_requested_at from referral where school_id = ? and first_requested_at >= ?")) {
            st.setString(1, schoolId);
            st.setObject(2, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    requested.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
                }
            }
        }
        List<Long> inApp = new ArrayList<>();
        List<Long> email = new ArrayList<>();
        int notified = 0;
        try (Connection c = connect(pgPort, "notification"); var st = c.prepareStatement("""
                select a.subject, n.created_at, (select min(d.finished_at) from delivery d where d.notification_id = n.id
                                                   and d.channel = 'EMAIL' and d.status = 'SENT')
                from alert a join notification n on n.alert_id = a.id and n.step = 0
                where a.kind = 'REFERRAL_NEW' and a.created_at >= ?""")) {
            st.setObject(1, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Instant asked = requested.get(rs.getString(1));
                    if (asked == null) {
                        continue;
                    }
                    notified++;
                    inApp.add(rs.getObject(2, OffsetDateTime.class).toInstant().toEpochMilli() - asked.toEpochMilli());
                    OffsetDateTime mailed = rs.getObject(3, OffsetDateTime.class);
                    if (mailed != null) {
                        email.add(mailed.toInstant().toEpochMilli() - asked.toEpochMilli());
                    }
                }
            }
        }
        return new Figures(sorted(inApp), sorted(email), requested.size(), requested.size() - notified);
    }

    private static long[] sorted(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    static long p(long[] sorted, int percentile) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }

    private static Connection connect(int pgPort, String db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/" + db, PostgresServer.OPERATOR_USER, PostgresServer.OPERATOR_PASSWORD);
    }
}
