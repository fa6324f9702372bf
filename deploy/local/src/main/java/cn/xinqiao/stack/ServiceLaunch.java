package cn.xinqiao.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How the stack runs one service: its command line (the built Quarkus jar, its heap) and its environment. */
final class ServiceLaunch {

    private ServiceLaunch() {
    }

    /** The JVM and its AOT cache ({@link Jvm}): the cache sits beside the build it was recorded from. */
    static Jvm.Launch launch(Path root, App app) {
        Path target = root.resolve(app.name()).resolve("target");
        return Jvm.current().launch(app.name(), target.resolve("aot"), List.of(target.resolve("quarkus-app")), options(app));
    }

    /** The JVM options of an app: its heap and the stack's memory options. */
    static List<String> options(App app) {
        List<String> options = new ArrayList<>(List.of("-Xms32m", "-Xmx" + app.heapMb() + "m"));
        options.addAll(Jvm.current().memoryOptions());
        return options;
    }

    static List<String> command(Path root, App app, Jvm.Launch launch) {
        Path jar = root.resolve(app.name()).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./xq up builds, or ./mvnw -DskipTests install)");
        }
        List<String> command = new ArrayList<>(List.of(launch.java()));
        command.addAll(options(app));
        command.addAll(launch.aotOptions());
        command.addAll(List.of("-Dfile.encoding=UTF-8", "-jar", jar.toString()));
        return command;
    }

    /**
     * Which deployment secret each app reads: an app gets its own and nothing else (the same split as the Secrets of
     * {@code deploy/k8s}). Client secrets of the demo realm's confidential clients come from {@link KeycloakServer}.
     */
    static final Map<String, List<String>> SECRETS = Map.of(
            "screening-service", List.of("XINQIAO_PSEUDONYM_SECRET", "XINQIAO_STUDENT_SESSION_SECRET", "XINQIAO_STUDENT_SESSION_PREVIOUS_SECRET",
                    "XINQIAO_ACCESS_CODE_SECRET"),
            "referral-service", List.of("XINQIAO_PSEUDONYM_SECRET", "XINQIAO_REFERRAL_SERVICE_CLIENT_SECRET", "XINQIAO_IDENTITY_SEAL_SECRET"),
            "hotline-service", List.of("XINQIAO_PSEUDONYM_SECRET", "XINQIAO_CALLER_HASH_SECRET"),
            "reporting-service", List.of(),
            "notification-service", List.of(),
            "web", List.of("XINQIAO_WEB_SESSION_SECRET", "XINQIAO_WEB_CLIENT_SECRET"));

    /** The prod profile pointed at this stack's Kafka, Keycloak and database, with the app's own secrets only. */
    static Map<String, String> env(LocalStack stack, PostgresServer postgres, App app, Map<String, String> secrets) {
        Map<String, String> all = new HashMap<>(secrets);
        all.put("XINQIAO_REFERRAL_SERVICE_CLIENT_SECRET", KeycloakServer.clientSecret("referral-service"));
        all.put("XINQIAO_WEB_CLIENT_SECRET", KeycloakServer.clientSecret("xinqiao-web"));
        Map<String, String> env = new HashMap<>(Jvm.environment());
        for (String key : SECRETS.getOrDefault(app.name(), List.of())) {
            if (all.containsKey(key)) {
                env.put(key, all.get(key));
            }
        }
        env.put("QUARKUS_PROFILE", "prod");
        // the demo city's own 24-hour line (Jining's notice 004), shown to students and guardians instead of the national 12356
        env.put("XINQIAO_HELP_LINES_HOTLINE", DemoCity.HOTLINE);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(app.port()));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(app.managementPort()));
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrap());
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", stack.issuer());
        if (app.database() != null) {
            env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(app.database()));
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(app.database())); // read by services with the reactive client
            // runs as the runtime role (rows only); migrates as the owner role
            env.put("QUARKUS_DATASOURCE_USERNAME", app.database() + "_app");
            env.put("QUARKUS_DATASOURCE_PASSWORD", StackSecrets.dbPassword(secrets, app.database() + "_app"));
            env.put("QUARKUS_FLYWAY_USERNAME", app.database() + "_owner");
            env.put("QUARKUS_FLYWAY_PASSWORD", StackSecrets.dbPassword(secrets, app.database() + "_owner"));
        }
        for (App other : stack.apps()) {
            env.put("XINQIAO_URLS_" + other.name().replace("-service", "").replace('-', '_').toUpperCase(), other.url());
        }
        env.put("XINQIAO_URLS_KEYCLOAK", stack.keycloakUrl());
        if (app.name().equals("notification-service")) {
            env.put("QUARKUS_MAILER_HOST", "127.0.0.1");
            env.put("QUARKUS_MAILER_PORT", String.valueOf(stack.ports().smtp()));
            env.put("XINQIAO_NOTIFY_WEB_URL", stack.app("web").url());
            // the end-to-end tests shorten the ladder's window (-Dxinqiao.notify.ladder-window=PT5S)
            String window = System.getProperty("xinqiao.notify.ladder-window");
            if (window != null) {
                env.put("XINQIAO_NOTIFY_LADDER_WINDOW", window);
            }
        }
        return env;
    }
}
