package cn.xinqiao.stack;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka broker, KRaft single node (broker + controller), from the Maven Central
 * jars: storage is formatted once, then the same folder is reused across restarts. Runs in this
 * JVM ({@link #start}) for tests, or as its own process ({@link #main}) for the local stack.
 */
public final class KafkaNode implements AutoCloseable {

    /** The broker as a child JVM of the stack: how it is launched (JDK, AOT cache) and its command line. */
    record Child(Jvm.Launch launch, List<String> command) {
    }

    /**
     * The stack's broker: the launcher's class path, a 192 MB heap with the stack's memory options, and its AOT cache
     * beside the build (a cache takes jars only: a launcher run from a classes folder starts Kafka without one).
     */
    static Child child(Path root, Path dataDir, int port, int controllerPort) {
        List<Path> classPath = java.util.Arrays.stream(ChildProcess.classpath().split(ChildProcess.pathSeparator())).map(Path::of).toList();
        List<String> options = new java.util.ArrayList<>(List.of("-Xms32m", "-Xmx192m"));
        options.addAll(Jvm.current().memoryOptions());
        Jvm.Launch launch = classPath.stream().anyMatch(java.nio.file.Files::isDirectory) ? Jvm.Launch.plain(Jvm.current().java())
                : Jvm.current().launch("kafka", root.resolve("deploy/local/target/aot"), classPath, options);
        List<String> command = new java.util.ArrayList<>(List.of(launch.java()));
        command.addAll(options);
        command.addAll(launch.aotOptions());
        command.addAll(List.of("-cp", ChildProcess.classpath(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                KafkaNode.class.getName(), dataDir.toString(), String.valueOf(port), String.valueOf(controllerPort)));
        return new Child(launch, command);
    }

    private final KafkaRaftServer server;
    private final int port;

    private KafkaNode(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static KafkaNode start(Path dataDir, int port, int controllerPort) throws Exception {
        Path logDir = dataDir.resolve("log");
        Files.createDirectories(logDir);
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        props.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "3");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "10");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // one node's compacted topics (the directory, the consumers' offsets) are small: the cleaner's dedupe buffer
        // need not take 128 MB of the broker's heap
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        // Hospital topics and dead-letter topics appear as hospitals join; the contract topics
        // are created explicitly with their partitions (see Topics).
        props.put("auto.create.topics.enable", "true");
        props.put("log.flush.interval.messages", "9223372036854775807");
        Path config = dataDir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            props.store(out, "written by cn.xinqiao.stack.KafkaNode");
        }
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[]{"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()},
                    new PrintStream(output, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("kafka storage format failed: " + output.toString(StandardCharsets.UTF_8));
            }
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        KafkaNode node = new KafkaNode(server, port);
        awaitReady(node.bootstrapServers(), Duration.ofSeconds(60));
        return node;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** Waits until a broker answers at {@code bootstrapServers}. */
    public static void awaitReady(String bootstrapServers, Duration timeout) throws InterruptedException {
        awaitReady(bootstrapServers, timeout, () -> true);
    }

    /** As above, giving up at once when {@code alive} turns false (the broker process died). */
    public static void awaitReady(String bootstrapServers, Duration timeout, java.util.function.BooleanSupplier alive)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("the kafka process exited; see its log");
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = new RuntimeException(e);
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("kafka broker at " + bootstrapServers + " did not become ready", last);
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    /** {@code KafkaNode <dataDir> <port> <controllerPort>}: the broker process of the local stack. */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: KafkaNode <dataDir> <port> <controllerPort>");
            System.exit(2);
        }
        KafkaNode node = start(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "kafka-shutdown"));
        System.out.println("kafka ready on " + node.bootstrapServers());
        node.server.awaitShutdown();
    }

}
