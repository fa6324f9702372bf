package cn.xinqiao.images;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The images' first layer, made on this machine without any registry: a Java runtime cut from the build's JDK by
 * {@code jlink} (the modules a Quarkus service of this repository uses) and the C libraries it loads, copied from this
 * machine to the same paths (what a distroless base image holds). Every service's image shares it byte for byte.
 */
final class JavaRuntime {

    /** Java SE, and the JDK modules the services reach: Netty's unsafe access, GB18030 rosters, zh-CN locales, JMX, DNS. */
    static final List<String> MODULES = List.of("java.se", "jdk.unsupported", "jdk.charsets", "jdk.localedata", "jdk.zipfs",
            "jdk.naming.dns", "jdk.management", "jdk.net", "jdk.crypto.ec", "jdk.crypto.cryptoki");

    private static final Pattern LIBRARY = Pattern.compile("(/\\S+\\.so[.0-9]*)");

    private JavaRuntime() {
    }

    /**
     * Whether {@code jdk} can cut a runtime: from its {@code jmods}, or from its own run-time image (JEP 493: Temurin 25
     * ships no jmods), which a trial link of {@code java.base} tells.
     */
    static boolean linkable(Path jdk) throws IOException, InterruptedException {
        if (!Files.isExecutable(jdk.resolve("bin/jlink"))) {
            return false;
        }
        if (Files.isDirectory(jdk.resolve("jmods"))) {
            return true;
        }
        Path trial = Files.createTempDirectory("jlink-trial-");
        try {
            Process p = new ProcessBuilder(jdk.resolve("bin/jlink").toString(), "--add-modules", "java.base",
                    "--output", trial.resolve("rt").toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } finally {
            delete(trial);
        }
    }

    /**
     * Cuts the runtime into {@code into/opt/java} and copies the libraries it needs into {@code into}; returns the
     * libraries' paths in the image.
     */
    static Set<String> build(Path jdk, Path into) throws IOException, InterruptedException {
        if (!linkable(jdk)) {
            throw new IllegalStateException(jdk + " cannot cut a runtime (no jmods, no linkable run-time image): set XQ_JAVA_HOME to a JDK that can (Temurin 25)");
        }
        Path runtime = into.resolve("opt/java");
        Set<String> available = new java.util.HashSet<>();
        for (String line : run(List.of(jdk.resolve("bin/java").toString(), "--list-modules"))) {
            available.add(line.split("@")[0].trim());
        }
        // jdk.crypto.ec went into java.base in 22: a module the JDK does not have is not asked for
        List<String> present = MODULES.stream().filter(available::contains).toList();
        run(List.of(jdk.resolve("bin/jlink").toString(), "--add-modules", String.join(",", present),
                "--include-locales=en,zh", "--strip-debug", "--no-man-pages", "--no-header-files", "--output", runtime.toString()));
        Set<String> libraries = new TreeSet<>();
        try (Stream<Path> files = Files.walk(runtime)) {
            for (Path elf : files.filter(p -> Files.isRegularFile(p) && (p.toString().endsWith(".so") || p.getParent().endsWith("bin"))).toList()) {
                libraries.addAll(needed(elf));
            }
        }
        for (String library : libraries) {
            Path target = into.resolve(library.substring(1));
            Files.createDirectories(target.getParent());
            Files.copy(Path.of(library), target, StandardCopyOption.REPLACE_EXISTING); // the file, not a link
        }
        Files.createDirectories(into.resolve("etc"));
        Files.writeString(into.resolve("etc/passwd"), "root:x:0:0:root:/root:/sbin/nologin\nxinqiao:x:10001:10001:xinqiao:/deployments:/sbin/nologin\n");
        Files.writeString(into.resolve("etc/group"), "root:x:0:\nxinqiao:x:10001:\n");
        Files.createDirectories(into.resolve("tmp"));
        return libraries;
    }

    /** The system libraries an ELF file loads ({@code ldd}), its own runtime's excepted; the dynamic loader included. */
    static Set<String> needed(Path elf) throws IOException, InterruptedException {
        Set<String> out = new LinkedHashSet<>();
        for (String line : run(List.of("ldd", elf.toString()))) {
            if (line.contains("not found")) {
                continue; // a library of the runtime itself, found through its own $ORIGIN when it runs
            }
            Matcher m = LIBRARY.matcher(line);
            if (m.find() && !m.group(1).contains("/opt/java/")) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    private static List<String> run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (var reader = p.inputReader()) {
            reader.lines().forEach(lines::add);
        }
        int exit = p.waitFor();
        // ldd says "not a dynamic executable" (exit 1) for scripts and static files: nothing to copy
        if (exit != 0 && !command.get(0).equals("ldd")) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + exit + "): " + String.join("\n", lines));
        }
        return lines;
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
