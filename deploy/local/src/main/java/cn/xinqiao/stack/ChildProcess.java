package cn.xinqiao.stack;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A process the stack started: its output goes to a log file, it is stopped with its children. */
public final class ChildProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private volatile Jvm.Launch launch;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** The JVM launch this process was started with: a recording one writes its AOT cache when it stops. */
    public ChildProcess launchedWith(Jvm.Launch launch) {
        this.launch = launch;
        return this;
    }

    public boolean recordingAotCache() {
        return launch != null && launch.recording();
    }

    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path workDir, Path logDir)
            throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        return new ChildProcess(name, builder.start(), log);
    }

    /** {@code java} of the JDK the stack's processes run on ({@link Jvm}). */
    public static String java() {
        return Jvm.current().java();
    }

    /** This JVM's class path with every entry made absolute (children run in other working directories). */
    public static String classpath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.isBlank())
                .map(e -> Path.of(e).toAbsolutePath().normalize().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until {@code url} answers 200, failing early if the process dies. */
    public void awaitHttpOk(String url, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            if (httpOk(url)) {
                return;
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s (" + url + "); see " + log);
    }

    public static boolean httpOk(String url) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * SIGTERM to the process and its children, then SIGKILL after the grace period. A JVM recording its AOT cache gets
     * the time to write it (it assembles the cache in a child of its own on the way out), and the cache is sealed only
     * when every process stopped by itself.
     */
    public void stop(Duration grace) {
        Duration wait = recordingAotCache() ? Duration.ofMinutes(3) : grace;
        List<ProcessHandle> tree = new java.util.ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        Instant deadline = Instant.now().plus(wait);
        try {
            boolean clean = process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
            for (ProcessHandle p : tree) {
                // a start script's JVM outlives the script; its cache writer is a child of the JVM
                while (clean && p.isAlive()) {
                    if (Instant.now().isAfter(deadline)) {
                        clean = false;
                    }
                    Thread.sleep(100);
                }
            }
            if (clean) {
                if (launch != null) {
                    launch.seal();
                }
            } else {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                tree.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Waits for the process to end by itself; true when it exited with 0 in time. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return false;
        }
        return process.exitValue() == 0;
    }

    /** SIGKILL: for fault injection. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }

    static String pathSeparator() {
        return File.pathSeparator;
    }
}
