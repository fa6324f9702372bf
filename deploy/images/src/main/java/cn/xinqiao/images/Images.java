package cn.xinqiao.images;

import cn.xinqiao.stack.Jvm;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OCI images of the services, built with Jib straight to tarballs (no Docker engine, no registry): a shared Java runtime
 * layer ({@link JavaRuntime}), then each service's Quarkus app in two layers (its libraries, which change seldom, and the
 * application itself). The names are the ones {@code deploy/k8s} deploys ({@link #reference}); the registry and tag come
 * from the build ({@code xinqiao.image.registry}, {@code xinqiao.image.tag} in the root pom).
 *
 * <p>{@code ./mvnw -B -Pimages -DskipTests package} writes {@code deploy/images/target/images/<service>.tar}; load it with
 * {@code docker load}, or push it with {@code skopeo copy docker-archive:<file> docker://<registry>/...}.
 */
public final class Images {

    /** Each service's module, API port and management port (the same as the local stack and the manifests). */
    public record Service(String name, int port) {
        public int managementPort() {
            return port + 1000;
        }
    }

    public static final List<Service> SERVICES = List.of(new Service("screening-service", 8081), new Service("referral-service", 8082),
            new Service("hotline-service", 8083), new Service("reporting-service", 8084), new Service("notification-service", 8085),
            new Service("web", 8080));

    private Images() {
    }

    /** The image a service is deployed from, e.g. {@code registry.xinqiao.cn/xinqiao/screening-service:0.1.0}. */
    public static String reference(String service) {
        return System.getProperty("xinqiao.image.registry", "registry.xinqiao.cn/xinqiao") + "/" + service + ":"
                + System.getProperty("xinqiao.image.tag", "0.1.0");
    }

    /** {@code Images <repository root> <output folder>}: every service's image. */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        Path runtime = out.resolve("java-runtime");
        JavaRuntime.delete(runtime);
        JavaRuntime.build(Jvm.current().home(), runtime);
        for (Service service : SERVICES) {
            long start = System.nanoTime();
            JibContainer image = build(root, service, runtime, out.resolve(service.name() + ".tar"));
            System.out.printf("[images] %s -> %s (%s) in %.1f s%n", reference(service.name()), out.resolve(service.name() + ".tar"),
                    image.getDigest(), (System.nanoTime() - start) / 1e9);
        }
    }

    /** One service's image from its built {@code target/quarkus-app}, on the runtime in {@code runtime}. */
    static JibContainer build(Path root, Service service, Path runtime, Path tar) throws Exception {
        Path app = root.resolve(service.name()).resolve("target/quarkus-app");
        if (!Files.exists(app.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(app + " is missing: build the service first (./mvnw -B -DskipTests package)");
        }
        AbsoluteUnixPath deployments = AbsoluteUnixPath.get("/deployments");
        FileEntriesLayer.Builder libraries = FileEntriesLayer.builder().setName("libraries");
        libraries.addEntryRecursive(app.resolve("lib"), deployments.resolve("lib"));
        FileEntriesLayer.Builder application = FileEntriesLayer.builder().setName("application");
        for (String part : List.of("quarkus-run.jar", "app", "quarkus")) {
            application.addEntryRecursive(app.resolve(part), deployments.resolve(part));
        }
        List<String> entrypoint = new ArrayList<>(List.of("/opt/java/bin/java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75",
                "-Dfile.encoding=UTF-8", "-Djava.io.tmpdir=/tmp"));
        if (Jvm.current().feature() >= 25) {
            entrypoint.add("-XX:+UseCompactObjectHeaders");
        }
        entrypoint.addAll(List.of("-jar", "/deployments/quarkus-run.jar"));
        FileEntriesLayer.Builder javaRuntime = FileEntriesLayer.builder().setName("java-runtime");
        try (var top = Files.list(runtime)) {
            for (Path part : top.sorted().toList()) { // /opt/java, /lib…, /etc, /tmp: the image's root is not an entry of its own
                javaRuntime.addEntryRecursive(part, AbsoluteUnixPath.get("/" + part.getFileName()), (source, target) ->
                        Files.isExecutable(source) ? FilePermissions.fromOctalString("755") : FilePermissions.DEFAULT_FILE_PERMISSIONS);
            }
        }
        return Jib.fromScratch()
                .setFormat(ImageFormat.OCI)
                .addFileEntriesLayer(javaRuntime.build())
                .addFileEntriesLayer(libraries.build())
                .addFileEntriesLayer(application.build())
                .setEnvironment(Map.of("JAVA_HOME", "/opt/java", "LANG", "C.UTF-8", "QUARKUS_PROFILE", "prod"))
                .setWorkingDirectory(deployments)
                .setUser("10001:10001")
                .setExposedPorts(java.util.Set.of(Port.tcp(service.port()), Port.tcp(service.managementPort())))
                .addLabel("org.opencontainers.image.title", "xinqiao " + service.name())
                .setEntrypoint(entrypoint)
                .containerize(Containerizer.to(TarImage.at(tar).named(reference(service.name())))
                        .setBaseImageLayersCache(tar.getParent().resolve("jib-cache"))
                        .setApplicationLayersCache(tar.getParent().resolve("jib-cache")));
    }
}
