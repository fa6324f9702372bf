package cn.xinqiao.stack;

import java.util.Optional;

/** The local stack's ports: every process of it, and the same layout moved for the tests' stacks. */
public record Ports(int web, int screening, int referral, int hotline, int reporting, int notification,
                    int keycloak, int keycloakManagement, int kafka, int kafkaController, int postgres, int smtp, int mailViewer) {

    public static Ports defaults() {
        return new Ports(8080, 8081, 8082, 8083, 8084, 8085, 8180, 9180, 9092, 9093,
                Integer.parseInt(Optional.ofNullable(System.getenv("XQ_PG_PORT")).orElse("15432")), 3025, 8025);
    }

    /** The same layout moved by {@code offset}, so tests can run beside a developer's stack. */
    public Ports shifted(int offset) {
        return new Ports(web + offset, screening + offset, referral + offset, hotline + offset, reporting + offset,
                notification + offset, keycloak + offset, keycloakManagement + offset, kafka + offset, kafkaController + offset,
                postgres + offset, smtp + offset, mailViewer + offset);
    }
}
