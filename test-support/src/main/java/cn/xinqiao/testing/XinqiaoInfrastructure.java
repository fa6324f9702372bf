package cn.xinqiao.testing;

import cn.xinqiao.stack.KafkaNode;
import cn.xinqiao.stack.PostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The infrastructure every service's tests run against, started by the test harness itself: a
 * real PostgreSQL 17 server and a real Kafka broker (KRaft), both on free ports in a temporary
 * folder, and the test token key. No Docker, no in-memory stand-ins.
 */
public class XinqiaoInfrastructure implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://test.xinqiao.cn/realms/xinqiao";

    private Path dir;
    private PostgresServer postgres;
    private KafkaNode kafka;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("xinqiao-test-");
            postgres = PostgresServer.start(dir.resolve("postgres"), freePort());
            postgres.ensureDatabase("service", "service-owner-test-only", "service-app-test-only");
            kafka = KafkaNode.start(dir.resolve("kafka"), freePort(), freePort());
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("test infrastructure did not start", e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl("service"));
        if (Thread.currentThread().getContextClassLoader().getResource("io/vertx/pgclient/PgPool.class") != null) {
            config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl("service")); // a service with the reactive client
        }
        // as in a deployment: the service runs as its runtime role and migrates as the owner
        config.put("quarkus.datasource.username", "service_app");
        config.put("quarkus.datasource.password", "service-app-test-only");
        config.put("quarkus.flyway.username", "service_owner");
        config.put("quarkus.flyway.password", "service-owner-test-only");
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("xinqiao.pseudonym.secret", "test-only-pseudonym-secret-0123456789abcdef");
        config.put("xinqiao.identity-seal.secret", "dGVzdC1vbmx5LWlkZW50aXR5LXNlYWwtc2VjcmV0LTAxMjM0NTY3ODlhYmNkZWY=");
        config.put("xinqiao.caller-hash.secret", "test-only-caller-hash-secret-0123456789abcdef");
        config.put("xinqiao.student-session.secret", "dGVzdC1vbmx5LXN0dWRlbnQtc2Vzc2lvbi1zZWNyZXQtMDEyMzQ1Njc4OWFiY2RlZg==");
        config.put("xinqiao.access-code.secret", "dGVzdC1vbmx5LWFjY2Vzcy1jb2RlLXNlY3JldC0wMTIzNDU2Nzg5YWJjZGVm");
        config.put("quarkus.oidc.auth-server-url", "");
        config.put("quarkus.oidc.discovery-enabled", "false");
        config.put("quarkus.oidc.public-key", publicKey());
        config.put("quarkus.oidc.token.issuer", ISSUER);
        return config;
    }

    @Override
    public void stop() {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } catch (RuntimeException e) {
            System.err.println("kafka stop: " + e);
        }
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (Exception e) {
            System.err.println("postgres stop: " + e);
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temp folder is harmless
            }
        }
    }

    static String publicKey() {
        return pem("/xinqiao-test/publicKey.pem").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }

    static String pem(String resource) {
        try (InputStream in = XinqiaoInfrastructure.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
