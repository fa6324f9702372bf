package cn.xinqiao.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The Java the stack's processes run on, and their ahead-of-time caches.
 *
 * <p>The services, Kafka and Keycloak run on the newest JDK of release 25 or later that this machine has ({@code XQ_JAVA_HOME},
 * the launcher's own Java, {@code JAVA_HOME}, or one under {@code /usr/lib/jvm}); without one, on the launcher's Java (17).
 * On 25 each process gets an AOT cache (JEP 483 class loading and linking, JEP 515 method profiles): a run without a valid
 * cache records one, written when the process stops; later runs start from it. A cache belongs to the build it was
 * recorded from: its stamp names the JDK, the newest file of the class path and the JVM options, so a rebuild or other
 * options make it stale and the next run records anew.
 *
 * <p>{@code -Dxinqiao.aot}: {@code record} (the default of {@code ./xq up}: use a valid cache, record one when there is
 * none), {@code use} (the default elsewhere, e.g. the end-to-end tests: use a valid cache, never record) or {@code off}.
 */
public final class Jvm {

    /**
     * What a process is started with: the {@code java} binary and the cache options (none, use, or record). A recording
     * process writes its cache on the way out; {@link #seal()} after a clean stop makes it usable.
     */
    public record Launch(String java, List<String> aotOptions, Path cache, Path stampFile, String stamp) {

        /** No cache: used nor recorded. */
        public static Launch plain(String java) {
            return new Launch(java, List.of(), null, null, null);
        }

        public boolean recording() {
            return stamp != null;
        }

        /** After a recording process stopped by itself: the stamp marks its cache as complete. */
        public void seal() {
            if (!recording() || !Files.exists(cache)) {
                return;
            }
            try {
                if (Files.size(cache) > 0) {
                    Files.writeString(stampFile, stamp);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The options as one {@code JAVA_OPTS}-style string (Keycloak's start script). */
        public String aotOptionsLine() {
            return String.join(" ", aotOptions);
        }
    }

    private static final Jvm CURRENT = new Jvm(findHome());

    private final Path home;
    private final int feature;

    private Jvm(Path home) {
        this.home = home;
        this.feature = featureOf(home).orElse(Runtime.version().feature());
    }

    /** The JDK the stack's processes run on. */
    public static Jvm current() {
        return CURRENT;
    }

    public Path home() {
        return home;
    }

    public int feature() {
        return feature;
    }

    public String java() {
        return home.resolve("bin/java").toString();
    }

    public boolean aotCapable() {
        return feature >= 25;
    }

    /**
     * Options that keep a small JVM small: the serial collector (one core's worth of work per service on a shared machine),
     * a heap given back after a collection that leaves most of it free, and on 25 the compact object headers (JEP 519).
     */
    public List<String> memoryOptions() {
        List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30"));
        if (feature >= 25) {
            options.add("-XX:+UseCompactObjectHeaders");
        }
        return options;
    }

    /**
     * The environment of every JVM the stack starts: two malloc arenas instead of eight per core (a JVM's native
     * allocations come from few threads; the other arenas only hold fragments).
     */
    public static java.util.Map<String, String> environment() {
        return java.util.Map.of("MALLOC_ARENA_MAX", "2");
    }

    static String mode() {
        return System.getProperty("xinqiao.aot", "use");
    }

    /**
     * How to start the process {@code name} whose classes come from {@code classPath} (files or folders) and which runs
     * with {@code options} (a cache recorded under other options, another collector say, is not used), with its cache at
     * {@code cacheDir/name.aot}.
     */
    public Launch launch(String name, Path cacheDir, List<Path> classPath, List<String> options) {
        String mode = mode();
        if (!aotCapable() || mode.equals("off")) {
            return Launch.plain(java());
        }
        Path cache = cacheDir.resolve(name + ".aot");
        Path stampFile = cacheDir.resolve(name + ".aot.stamp");
        String stamp = stamp(classPath) + "; options=" + String.join(" ", options);
        try {
            if (Files.exists(cache) && Files.exists(stampFile) && Files.readString(stampFile).equals(stamp)) {
                return new Launch(java(), List.of("-XX:AOTCache=" + cache, "-Xlog:aot=warning"), cache, stampFile, null);
            }
            if (mode.equals("record")) {
                Files.createDirectories(cacheDir);
                Files.deleteIfExists(cache);
                // written once the cache is: a process killed while recording leaves no stamp, so no half cache is used
                Files.deleteIfExists(stampFile);
                return new Launch(java(), List.of("-XX:AOTCacheOutput=" + cache, "-Xlog:aot=error"), cache, stampFile, stamp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Launch.plain(java());
    }

    /** The JDK and the newest class-path file: a new build or another JDK makes a cache stale. */
    private String stamp(List<Path> classPath) {
        long newest = 0;
        long files = 0;
        for (Path entry : classPath) {
            try (Stream<Path> walk = Files.walk(entry)) {
                for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                    newest = Math.max(newest, Files.getLastModifiedTime(p).toMillis());
                    files++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return "jdk=" + home + " " + releaseVersion(home).orElse(String.valueOf(feature)) + "; files=" + files + "; newest=" + newest;
    }

    private static Path findHome() {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("XQ_JAVA_HOME")).map(Path::of).ifPresent(p -> candidates.add(0, p));
        if (!candidates.isEmpty()) {
            return candidates.get(0); // chosen by the person running the stack
        }
        Path own = Path.of(System.getProperty("java.home"));
        candidates.add(own);
        Optional.ofNullable(System.getenv("JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
        try (Stream<Path> installed = Files.list(Path.of("/usr/lib/jvm"))) {
            installed.filter(Files::isDirectory).forEach(candidates::add);
        } catch (IOException e) {
            // no /usr/lib/jvm: the launcher's own Java and JAVA_HOME remain
        }
        return candidates.stream()
                .filter(home -> Files.isExecutable(home.resolve("bin/java")) && featureOf(home).orElse(0) >= 25)
                .max(Comparator.comparingInt(home -> featureOf(home).orElse(0)))
                .orElse(own);
    }

    /** {@code JAVA_VERSION} of the JDK's {@code release} file, e.g. {@code "25.0.3"}. */
    private static Optional<String> releaseVersion(Path home) {
        Path release = home.resolve("release");
        if (!Files.exists(release)) {
            return Optional.empty();
        }
        try (var in = Files.newInputStream(release)) {
            Properties p = new Properties();
            p.load(in);
            return Optional.ofNullable(p.getProperty("JAVA_VERSION")).map(v -> v.replace("\"", ""));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> featureOf(Path home) {
        return releaseVersion(home).map(v -> v.startsWith("1.") ? v.substring(2) : v)
                .map(v -> Integer.parseInt(v.split("[.+-]")[0]));
    }

    @Override
    public String toString() {
        return "Java " + releaseVersion(home).orElse(String.valueOf(feature)) + " (" + home + ")"
                + (aotCapable() ? ", AOT cache " + mode() : ", no AOT cache (needs Java 25)");
    }
}
