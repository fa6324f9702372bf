package cn.xinqiao.images;

import cn.xinqiao.stack.Jvm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web app's image, built as the {@code images} profile builds every service's: an OCI image layout in a tarball whose
 * index names the image deploy/k8s deploys, whose three layers unpack to a filesystem where the image's own Java runs with nothing but
 * the image's files (chroot), and which holds the whole Quarkus app.
 */
class ImagesTest {

    @TempDir
    static Path work;

    static Path tar;
    static Set<String> libraries;

    @BeforeAll
    static void build() throws Exception {
        Path jdk = Jvm.current().home();
        assumeTrue(JavaRuntime.linkable(jdk), "no JDK with jmods on this machine (" + jdk + "): images need one (Temurin 25)");
        Path root = Path.of(System.getProperty("xinqiao.root", "../.."));
        Path runtime = work.resolve("runtime");
        libraries = JavaRuntime.build(jdk, runtime);
        tar = work.resolve("web.tar");
        Images.build(root, Images.SERVICES.stream().filter(s -> s.name().equals("web")).findFirst().orElseThrow(), runtime, tar);
    }

    @Test
    void theTarballIsTheImageTheManifestsDeploy() throws Exception {
        Map<String, byte[]> entries = untar(Files.newInputStream(tar));
        JsonNode index = JSON.readTree(entries.get("index.json"));
        assertEquals(Images.reference("web"), index.path("manifests").get(0).path("annotations").path("org.opencontainers.image.ref.name").asText());
        JsonNode manifest = manifest(entries);
        assertEquals("application/vnd.oci.image.manifest.v1+json", manifest.path("mediaType").asText());
        assertEquals(3, manifest.path("layers").size(), "runtime, libraries, application");
        JsonNode config = JSON.readTree(blob(entries, manifest.path("config")));
        assertEquals("10001:10001", config.path("config").path("User").asText(), "never root");
        assertTrue(config.path("config").path("ExposedPorts").has("8080/tcp"), config.toString());
        assertTrue(config.path("config").path("Entrypoint").toString().contains("/deployments/quarkus-run.jar"), config.toString());
    }

    @Test
    void everyServiceDeployedHasAnImage() throws IOException {
        Path apps = Path.of(System.getProperty("xinqiao.root", "../..")).resolve("deploy/k8s/base/apps");
        try (var files = Files.list(apps)) {
            Set<String> deployed = new java.util.TreeSet<>(files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml")).map(f -> f.replace(".yaml", "")).toList());
            assertEquals(deployed, new java.util.TreeSet<>(Images.SERVICES.stream().map(Images.Service::name).toList()));
        }
    }

    @Test
    void theImagesOwnJavaRunsOnTheImagesFilesAlone() throws Exception {
        Path rootfs = unpack(work.resolve("rootfs"));
        assertTrue(Files.isRegularFile(rootfs.resolve("deployments/quarkus-run.jar")));
        for (String library : libraries) {
            assertTrue(Files.isRegularFile(rootfs.resolve(library.substring(1))), library + " is in the image");
        }
        assumeTrue("0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim()),
                "unshare and chroot need root");
        // as a container runtime runs it: its own root, a /proc of its own (the JDK finds its libraries through it)
        Files.createDirectories(rootfs.resolve("proc"));
        Process java = new ProcessBuilder("unshare", "--mount", "--pid", "--fork", "--mount-proc=" + rootfs.resolve("proc"),
                "chroot", rootfs.toString(), "/opt/java/bin/java", "--list-modules").redirectErrorStream(true).start();
        String modules = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, java.waitFor(), modules);
        assertTrue(modules.contains("jdk.charsets"), "GB18030 rosters need jdk.charsets: " + modules);
        assertTrue(modules.contains("java.sql"), modules);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The OCI image layout's one manifest (index.json → blobs/sha256/…). */
    private static JsonNode manifest(Map<String, byte[]> entries) throws IOException {
        return JSON.readTree(blob(entries, JSON.readTree(entries.get("index.json")).path("manifests").get(0)));
    }

    private static byte[] blob(Map<String, byte[]> entries, JsonNode descriptor) {
        byte[] blob = entries.get("blobs/" + descriptor.path("digest").asText().replace(':', '/'));
        assertTrue(blob != null && blob.length == descriptor.path("size").asLong(), "blob " + descriptor);
        return blob;
    }

    /** The layers of the tarball, in order, into one filesystem (what a container runtime does). */
    private static Path unpack(Path rootfs) throws Exception {
        Map<String, byte[]> entries = untar(Files.newInputStream(tar));
        Files.createDirectories(rootfs);
        for (JsonNode layer : manifest(entries).path("layers")) {
            Path file = work.resolve("layer");
            Files.write(file, blob(entries, layer));
            Process untar = new ProcessBuilder("tar", "-xf", file.toString(), "-C", rootfs.toString()).redirectErrorStream(true).start();
            String out = new String(untar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, untar.waitFor(), out);
        }
        return rootfs;
    }

    /** A plain (ustar) tar read into memory: name to content. */
    private static Map<String, byte[]> untar(InputStream in) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (in) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "");
                String prefix = new String(header, 345, 155, StandardCharsets.US_ASCII).replace("\0", "");
                long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
                byte[] content = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                out.put(prefix.isEmpty() ? name : prefix + "/" + name, content);
            }
        }
        List<String> names = new ArrayList<>(out.keySet());
        assertTrue(names.contains("oci-layout") && names.contains("index.json"), "an OCI image layout: " + names);
        return out;
    }
}
