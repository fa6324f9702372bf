package cn.xinqiao.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Real Keycloak from {@code org.keycloak:keycloak-quarkus-dist} (the zip Maven downloaded once),
 * unpacked into the stack's folder, storing its data in the stack's PostgreSQL and importing
 * realm {@code xinqiao} on first start.
 */
public final class KeycloakServer {

    public static final String REALM = "xinqiao";
    /** Local-only secret of the demo loader client (realm file); a real deployment sets its own. */
    public static final String LOADER_SECRET = "xinqiao-loader-local-secret";

    /** A confidential client's secret in the demo realm file (local only: a real deployment's realm has its own). */
    public static String clientSecret(String clientId) {
        try (java.io.InputStream in = KeycloakServer.class.getResourceAsStream("/keycloak/xinqiao-realm.json")) {
            for (com.fasterxml.jackson.databind.JsonNode client : new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).path("clients")) {
                if (clientId.equals(client.path("clientId").asText()) && client.hasNonNull("secret")) {
                    return client.path("secret").asText();
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("no confidential client " + clientId + " in the demo realm");
    }

    private KeycloakServer() {
    }

    /**
     * Unpacks and builds the distribution (once for every stack of this checkout; its data is in each stack's own
     * database) into {@code installDir}; returns Keycloak's home. Needs no database: the stack does it while PostgreSQL starts.
     */
    public static Path prepare(Path zip, Path installDir, Path logs) throws Exception {
        Path home = unpackOnce(zip, installDir);
        buildOnce(home, Jvm.current(), logs);
        return home;
    }

    /**
     * @param home          a distribution {@link #prepare}d
     * @param adminPassword the master realm's bootstrap admin (user {@code admin}), made per stack folder (Keycloak
     *                      sets it when it creates its database; an older stack folder keeps the one it was made with)
     */
    public static ChildProcess start(Path home, Path stackDir, int port, int managementPort, String jdbcUrl,
                                     String dbPassword, String adminPassword)
            throws Exception {
        Path importDir = home.resolve("data/import");
        Files.createDirectories(importDir);
        try (InputStream realm = KeycloakServer.class.getResourceAsStream("/keycloak/xinqiao-realm.json")) {
            Files.copy(realm, importDir.resolve("xinqiao-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        Jvm jvm = Jvm.current();
        // Keycloak's own defaults (kc.sh) with the stack's collector and heap instead of G1 and 70 % of the machine
        List<String> options = new java.util.ArrayList<>(List.of("-XX:MetaspaceSize=96M", "-XX:MaxMetaspaceSize=256m",
                "-Dfile.encoding=UTF-8", "-Dsun.stdout.encoding=UTF-8", "-Dsun.err.encoding=UTF-8", "-Dstdout.encoding=UTF-8",
                "-Dstderr.encoding=UTF-8", "-XX:+ExitOnOutOfMemoryError", "-Djava.security.egd=file:/dev/urandom",
                "-Djdk.tls.rejectClientInitiatedRenegotiation=true", "-Xms32m", "-Xmx320m"));
        options.addAll(jvm.memoryOptions());
        Jvm.Launch launch = jvm.launch("keycloak", home.resolve("aot"), List.of(home.resolve("lib")), options);
        List<String> command = List.of(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--http-enabled=true", "--hostname-strict=false", // plain HTTP on loopback; the issuer is the URL asked
                "--http-host=127.0.0.1", // this machine only: the issuer is http://localhost anyway
                "--http-port=" + port,
                "--http-management-port=" + managementPort,
                "--db-url=" + jdbcUrl,
                "--db-username=keycloak", "--db-password=" + dbPassword, // its own role, owner of its own database only
                "--import-realm");
        Map<String, String> env = new java.util.HashMap<>(Jvm.environment());
        env.putAll(Map.of(
                "KC_BOOTSTRAP_ADMIN_USERNAME", "admin",
                "KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword,
                "JAVA_OPTS", String.join(" ", options),
                "JAVA_OPTS_APPEND", launch.aotOptionsLine(),
                "JAVA_HOME", jvm.home().toString()));
        ChildProcess keycloak = ChildProcess.start("keycloak", command, env, home, stackDir.resolve("logs")).launchedWith(launch);
        keycloak.awaitHttpOk("http://localhost:" + port + "/realms/" + REALM + "/.well-known/openid-configuration",
                Duration.ofMinutes(4));
        return keycloak;
    }

    /** Build-time options, fixed by {@code kc.sh build} so that each start skips Keycloak's own build ({@code --optimized}). */
    static final List<String> BUILD_OPTIONS = List.of("--db=postgres", "--health-enabled=true", "--cache=local");

    /** {@code kc.sh build} once per unpacked distribution, build options and JDK (a marker file records them). */
    private static void buildOnce(Path home, Jvm jvm, Path logs) throws Exception {
        Path marker = home.resolve(".xinqiao-build");
        String built = String.join(" ", BUILD_OPTIONS) + " on " + jvm.home();
        if (Files.exists(marker) && Files.readString(marker).equals(built)) {
            return;
        }
        List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "build"));
        command.addAll(BUILD_OPTIONS);
        ChildProcess build = ChildProcess.start("keycloak-build", command, Map.of("JAVA_HOME", jvm.home().toString()), home, logs);
        if (!build.awaitExit(Duration.ofMinutes(5))) {
            throw new IllegalStateException("kc.sh build did not finish; see " + build.log());
        }
        // a new build makes a recorded cache stale
        try (var old = Files.list(home.resolve("aot"))) {
            old.forEach(p -> p.toFile().delete());
        } catch (java.nio.file.NoSuchFileException e) {
            // nothing recorded yet
        }
        Files.writeString(marker, built);
    }

    private static Path unpackOnce(Path zip, Path installDir) throws IOException {
        String folder = zip.getFileName().toString().replace(".zip", "");
        Path target = installDir.resolve(folder);
        Path done = target.resolve(".unpacked");
        if (Files.exists(done)) {
            return homeOf(target);
        }
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    if (out.toString().endsWith(".sh")) {
                        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
        }
        Files.createFile(done);
        return homeOf(target);
    }

    /** The zip holds one top folder ({@code keycloak-26.7.3}). */
    private static Path homeOf(Path target) throws IOException {
        try (var children = Files.list(target)) {
            return children.filter(Files::isDirectory).findFirst()
                    .orElseThrow(() -> new IOException("no keycloak folder in " + target));
        }
    }

    /** The Keycloak distribution the build fetched ({@code stack-build.properties}). */
    static Path distribution() throws IOException {
        Properties build = new Properties();
        try (InputStream in = KeycloakServer.class.getResourceAsStream("/stack-build.properties")) {
            build.load(in);
        }
        Path zip = Path.of(build.getProperty("keycloak.zip"));
        if (!Files.exists(zip)) {
            throw new IllegalStateException("Keycloak distribution not found at " + zip + "; run ./mvnw install first");
        }
        return zip;
    }
}
