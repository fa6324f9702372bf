package cn.xinqiao.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The whole platform on one machine without Docker: PostgreSQL, Kafka (KRaft), Keycloak, an SMTP server, the five
 * services and the web app, each a real process; data kept in one folder between runs.
 * {@code ./xq up} runs {@link #main}; the end-to-end tests start the same stack on shifted ports.
 */
public final class LocalStack implements AutoCloseable {

    public static final List<String> DEMO_HOSPITALS = List.of("H370800001", "H370800002");

    private final Path root;
    private final Path dataDir;
    private final Ports ports;
    private final Consumer<String> progress;
    private final List<ChildProcess> children = new CopyOnWriteArrayList<>();
    private final Map<String, ChildProcess> byName = new HashMap<>();
    /** How each child was started, so fault injection can start it again the same way. */
    private final Map<String, java.util.concurrent.Callable<ChildProcess>> launchers = new HashMap<>();
    private PostgresServer postgres;
    private MailServer mail;

    private LocalStack(Path root, Path dataDir, Ports ports, Consumer<String> progress) {
        this.root = root;
        this.dataDir = dataDir;
        this.ports = ports;
        this.progress = progress;
    }

    public List<App> apps() {
        return List.of(new App("screening-service", ports.screening(), "screening", 384),
                // the FHIR R4 validator holds the core structure definitions in memory
                new App("referral-service", ports.referral(), "referral", 896), // the FHIR validator keeps ~250 MB live
                new App("hotline-service", ports.hotline(), "hotline", 384),
                new App("reporting-service", ports.reporting(), "reporting", 384),
                new App("notification-service", ports.notification(), "notification", 192),
                new App("web", ports.web(), null, 128));
    }

    public App app(String name) {
        return apps().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    public Ports ports() {
        return ports;
    }

    public String kafkaBootstrap() {
        return "localhost:" + ports.kafka();
    }

    public String keycloakUrl() {
        return "http://localhost:" + ports.keycloak();
    }

    public String issuer() {
        return keycloakUrl() + "/realms/" + KeycloakServer.REALM;
    }

    public String jdbcUrl(String database) {
        return postgres.jdbcUrl(database);
    }

    public Optional<ChildProcess> process(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Starts everything and returns when every service answers {@code /q/health/ready} on its management interface. */
    public static LocalStack start(Path root, Path dataDir, Ports ports, Consumer<String> progress) throws Exception {
        LocalStack stack = new LocalStack(root, dataDir, ports, progress);
        try {
            stack.startAll();
            return stack;
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Files.createDirectories(dataDir);
        Path logs = dataDir.resolve("logs");
        long t0 = System.nanoTime();

        step("processes run on " + Jvm.current());
        // Keycloak's one-time unpack and build needs no database: it runs while PostgreSQL starts
        CompletableFuture<Path> keycloakHome = CompletableFuture.supplyAsync(() -> {
            try {
                return KeycloakServer.prepare(KeycloakServer.distribution(), root.resolve("deploy/local/target"), logs);
            } catch (Exception e) {
                throw new IllegalStateException("Keycloak could not be prepared: " + e.getMessage(), e);
            }
        });
        step("PostgreSQL 17 on port " + ports.postgres());
        postgres = PostgresServer.start(dataDir.resolve("postgres"), ports.postgres(), true);
        Map<String, String> dbSecrets = secrets();
        postgres.ensureOwnedDatabase("keycloak", "keycloak", StackSecrets.dbPassword(dbSecrets, "keycloak"));
        for (String db : List.of("screening", "referral", "hotline", "reporting", "notification")) {
            postgres.ensureDatabase(db, StackSecrets.dbPassword(dbSecrets, db + "_owner"), StackSecrets.dbPassword(dbSecrets, db + "_app"));
        }
        step("SMTP server on port " + ports.smtp() + " (received mail: http://localhost:" + ports.mailViewer() + "/)");
        mail = MailServer.start(ports.smtp(), ports.mailViewer());

        step("Kafka (KRaft) on port " + ports.kafka() + " and Keycloak on port " + ports.keycloak() + ", in parallel");
        KafkaNode.Child kafkaChild = KafkaNode.child(root, dataDir.resolve("kafka"), ports.kafka(), ports.kafkaController());
        launchers.put("kafka", () -> {
            ChildProcess k = ChildProcess.start("kafka", kafkaChild.command(), Jvm.environment(), dataDir, logs).launchedWith(kafkaChild.launch());
            KafkaNode.awaitReady(kafkaBootstrap(), Duration.ofSeconds(90), k::isAlive);
            return k;
        });
        ChildProcess kafka = track(ChildProcess.start("kafka", kafkaChild.command(), Jvm.environment(), dataDir, logs).launchedWith(kafkaChild.launch()));
        Map<String, String> secrets = secrets();
        String keycloakAdmin = secrets.remove(KEYCLOAK_ADMIN_PASSWORD); // Keycloak's alone, not the services'
        CompletableFuture<ChildProcess> keycloak = CompletableFuture.supplyAsync(() -> {
            try {
                return KeycloakServer.start(keycloakHome.join(), dataDir, ports.keycloak(), ports.keycloakManagement(),
                        postgres.jdbcUrl("keycloak"), StackSecrets.dbPassword(dbSecrets, "keycloak"), keycloakAdmin);
            } catch (Exception e) {
                throw new IllegalStateException("Keycloak did not start: " + e.getMessage(), e);
            }
        });
        try {
            KafkaNode.awaitReady(kafkaBootstrap(), Duration.ofSeconds(90), kafka::isAlive);
            Topics.ensure(kafkaBootstrap(), DEMO_HOSPITALS);
        } catch (Exception e) {
            // Keycloak is still starting in the background: stop it too, no orphans.
            keycloak.handle((process, error) -> {
                if (process != null) {
                    process.close();
                }
                return null;
            }).join();
            throw new IllegalStateException("Kafka did not start (" + e.getMessage() + "); see " + kafka.log(), e);
        }
        step("Kafka ready, contract topics in place; waiting for Keycloak (first start imports realm xinqiao)");
        track(keycloak.join());

        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (App app : apps()) {
            step("starting " + app.name() + " on port " + app.port());
            launchers.put(app.name(), () -> {
                ChildProcess p = startApp(app, app.name(), secrets);
                p.awaitHttpOk(app.managementUrl() + "/q/health/ready", Duration.ofMinutes(3));
                return p;
            });
            ChildProcess process = track(startApp(app, app.name(), secrets));
            ready.add(CompletableFuture.runAsync(() -> {
                try {
                    process.awaitHttpOk(app.managementUrl() + "/q/health/ready", Duration.ofMinutes(3));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }));
        }
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
        writePids();
        step(String.format("all services ready in %.0f s", (System.nanoTime() - t0) / 1e9));
    }

    /** One of the repository's Quarkus apps as a child process (a replica uses the app's AOT cache but never records it). */
    private ChildProcess startApp(App app, String childName, Map<String, String> secrets) throws IOException {
        Jvm.Launch launch = ServiceLaunch.launch(root, app);
        if (!childName.equals(app.name()) && launch.recording()) {
            launch = Jvm.Launch.plain(launch.java());
        }
        return ChildProcess.start(childName, ServiceLaunch.command(root, app, launch), ServiceLaunch.env(this, postgres, app, secrets),
                root, dataDir.resolve("logs")).launchedWith(launch);
    }

    /** The password of Keycloak's master-realm {@code admin} in {@code secrets.properties} (Keycloak's console). */
    public static final String KEYCLOAK_ADMIN_PASSWORD = "KEYCLOAK_ADMIN_PASSWORD";

    /** The password of one of the stack's database roles ({@code screening_app}, {@code screening_owner}, …). */
    public String databasePassword(String role) throws IOException {
        return StackSecrets.dbPassword(secrets(), role);
    }

    /** The stack's Keycloak admin password (from {@code secrets.properties}). */
    public String keycloakAdminPassword() throws IOException {
        return secrets().get(KEYCLOAK_ADMIN_PASSWORD);
    }

    /** Deployment secrets, made once per stack folder and never committed ({@link StackSecrets}). */
    private Map<String, String> secrets() throws IOException {
        return StackSecrets.load(dataDir);
    }

    private ChildProcess track(ChildProcess child) {
        children.add(child);
        byName.put(child.name(), child);
        return child;
    }

    // ---- fault injection (issue 8): kill a part without warning, start it again the way it was started ----------

    /** SIGKILL: no shutdown hook runs, nothing is flushed, in-flight work is lost from memory. */
    public synchronized void kill(String name) throws InterruptedException {
        byName.get(name).kill();
    }

    /** Starts a killed (or stopped) child again with its command and environment; returns when it is ready. */
    public synchronized void restart(String name) throws Exception {
        ChildProcess old = byName.get(name);
        if (old.isAlive()) {
            old.kill();
        }
        children.remove(old);
        track(launchers.get(name).call());
        writePids();
    }

    /**
     * Another replica of a service on {@code port}: the same command, environment, database and Kafka group, as a
     * cluster scales it out; stopped with the stack. Returns when it is ready.
     */
    public synchronized App startReplica(String name, int port) throws Exception {
        App app = app(name);
        App replica = new App(app.name(), port, app.database(), app.heapMb());
        Map<String, String> secrets = secrets();
        secrets.remove(KEYCLOAK_ADMIN_PASSWORD);
        ChildProcess process = track(startApp(replica, name + "-" + port, secrets));
        writePids();
        process.awaitHttpOk(replica.managementUrl() + "/q/health/ready", Duration.ofMinutes(3));
        return replica;
    }

    /** Stops PostgreSQL (fast shutdown: open connections are cut) and starts it again on the same data. */
    public synchronized void restartPostgres() throws Exception {
        Path data = dataDir.resolve("postgres");
        postgres.close();
        postgres = PostgresServer.start(data, ports.postgres(), true);
    }

    private void writePids() {
        StringBuilder pids = new StringBuilder().append(ProcessHandle.current().pid()).append('\n');
        children.forEach(c -> pids.append(c.pid()).append('\n'));
        try {
            Files.writeString(dataDir.resolve("stack.pids"), pids);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void step(String message) {
        progress.accept(message);
    }

    /**
     * Stops the services (in parallel: each drains its in-flight work), then Keycloak and Kafka, then PostgreSQL.
     * Quick enough for a test JVM's shutdown hook: a stack left running would hold the ports of the next one.
     */
    @Override
    public void close() {
        List<ChildProcess> reversed = new ArrayList<>(children);
        java.util.Collections.reverse(reversed);
        List<String> infrastructure = List.of("kafka", "keycloak");
        if (children.stream().anyMatch(ChildProcess::recordingAotCache)) {
            progress.accept("writing the AOT caches recorded in this run (once per build; later starts use them)");
        }
        progress.accept("stopping the services");
        reversed.stream().filter(c -> !infrastructure.contains(c.name())).toList().parallelStream()
                .forEach(child -> child.stop(Duration.ofSeconds(10)));
        progress.accept("stopping Keycloak and Kafka");
        reversed.stream().filter(c -> infrastructure.contains(c.name())).toList().parallelStream()
                .forEach(child -> child.stop(Duration.ofSeconds(15)));
        if (mail != null) {
            mail.close();
        }
        if (postgres != null) {
            progress.accept("stopping PostgreSQL");
            try {
                postgres.close();
            } catch (Exception e) {
                progress.accept("PostgreSQL stop failed: " + e.getMessage());
            }
        }
        try {
            Files.deleteIfExists(dataDir.resolve("stack.pids"));
        } catch (IOException ignored) {
            // nothing to clean
        }
    }

    /** The local SMTP server: what notification-service sent by e-mail. */
    public MailServer mail() {
        return mail;
    }

    /** The folder that holds the stack's data, logs and secrets. */
    public Path dataDir() {
        return dataDir;
    }
}
