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
     * @param adminPassword the master realm's bootstrap admin (user {@code admin}), made per stack folder (Keycloak
     *                      sets it when it creates its database; an older stack folder keeps the one it was made with)
     */
    public static ChildProcess start(Path zip, Path stackDir, int port, int managementPort, String jdbcUrl, String dbPassword,
                                     String adminPassword)
            throws Exception {
        Path home = unpackOnce(zip, stackDir);
        Path importDir = home.resolve("data/import");
        Files.createDirectories(importDir);
        try (InputStream realm = KeycloakServer.class.getResourceAsStream("/keycloak/xinqiao-realm.json")) {
            Files.copy(realm, importDir.resolve("xinqiao-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", // this machine only: the issuer is http://localhost anyway
                "--http-port=" + port,
                "--http-management-port=" + managementPort,
                "--health-enabled=true",
                "--db=postgres", "--db-url=" + jdbcUrl,
                "--db-username=keycloak", "--db-password=" + dbPassword, // its own role, owner of its own database only
                "--import-realm");
        Map<String, String> env = Map.of(
                "KC_BOOTSTRAP_ADMIN_USERNAME", "admin",
                "KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword,
                "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m",
                "JAVA_HOME", System.getProperty("java.home"));
        ChildProcess keycloak = ChildProcess.start("keycloak", command, env, home, stackDir.resolve("logs"));
        keycloak.awaitHttpOk("http://localhost:" + port + "/realms/" + REALM + "/.well-known/openid-configuration",
                Duration.ofMinutes(4));
        return keycloak;
    }

    private static Path unpackOnce(Path zip, Path stackDir) throws IOException {
        String folder = zip.getFileName().toString().replace(".zip", "");
        Path target = stackDir.resolve(folder);
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
