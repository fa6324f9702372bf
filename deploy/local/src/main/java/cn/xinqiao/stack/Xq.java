package cn.xinqiao.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** The {@code ./xq up | down} command line: a stack in {@code .xq/} with the demo city, or stopping one. */
public final class Xq {

    private Xq() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 ? args[0] : "up";
        Path root = Path.of(System.getProperty("xinqiao.root", ".")).toAbsolutePath().normalize();
        Path dataDir = root.resolve(".xq");
        switch (command) {
            case "up" -> up(root, dataDir);
            case "down" -> down(dataDir);
            default -> {
                System.err.println("usage: xq up | down");
                System.exit(2);
            }
        }
    }

    private static void up(Path root, Path dataDir) throws Exception {
        if (Files.exists(dataDir.resolve("stack.pids"))) {
            down(dataDir);
        }
        Consumer<String> progress = line -> System.out.println("[xq] " + line);
        StackMemory.Sampler memory = new StackMemory.Sampler(dataDir.resolve("postgres"), 1000);
        LocalStack stack = LocalStack.start(root, dataDir, Ports.defaults(), progress);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "xq-shutdown"));
        DemoCity.loadOnce(stack, dataDir, progress);
        System.out.println(banner(stack));
        // after the demo city: the figures docs/performance.md records
        System.out.printf("[xq] memory of the whole stack: %s; the highest since start %,d MiB%n",
                StackMemory.read(dataDir.resolve("postgres")).describe(), memory.peakKib() / 1024);
        Thread.currentThread().join();
    }

    /** Stops a stack started by another {@code xq up} (its launcher first; stragglers after). */
    private static void down(Path dataDir) throws IOException, InterruptedException {
        Path pidFile = dataDir.resolve("stack.pids");
        if (!Files.exists(pidFile)) {
            System.out.println("[xq] no stack running");
            return;
        }
        List<Long> pids = Files.readAllLines(pidFile).stream().filter(s -> !s.isBlank()).map(Long::parseLong).toList();
        ProcessHandle.of(pids.get(0)).ifPresent(launcher -> {
            System.out.println("[xq] stopping the stack (launcher " + launcher.pid() + ")");
            launcher.destroy();
            launcher.onExit().join();
        });
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
        }
        Files.deleteIfExists(pidFile);
        System.out.println("[xq] stopped");
    }

    /** What the person who ran {@code ./xq up} needs: where everything is and how to sign in. */
    static String banner(LocalStack stack) {
        return """

                ============================================================
                 心桥 Xinqiao is running
                   web (UI)              %s
                   screening-service     %s/q/swagger-ui
                   referral-service      %s/q/swagger-ui
                   hotline-service       %s/q/swagger-ui
                   reporting-service     %s/q/swagger-ui
                   notification-service  %s/q/swagger-ui
                   e-mail (local SMTP)   http://localhost:%d/  (what the on-call people were sent)
                   Keycloak (realm xinqiao) %s/admin  (master realm: admin / KEYCLOAK_ADMIN_PASSWORD in %s)
                   Kafka                 %s
                   PostgreSQL            localhost:%d  (operator xinqiao / xinqiao; services: <db>_app)
                 Demo logins (password: xinqiao)
                   counselor.jn1   心理教师 · 济宁市第一中学 S370811001
                   admin.jn1       学校管理员 · S370811001
                   counselor.yz1   心理教师 · 兖州区第一中学 S370812001
                   operator.hl     热线接线员 · supervisor.hl 热线督导
                   clinician.h1    医生 · 济宁市精神卫生中心 H370800001 (值班第一顺位; clinician.h1b 第二, lead.h1 科主任)
                   clinician.h2    医生 · 济宁医学院附属医院 H370800002
                   analyst.city    教育局 · 济宁市 370800 (analyst.rc 任城区, analyst.yz 兖州区)
                   admin.platform  平台管理员 · auditor 审计员 · expert.city 专家组
                 Logs: %s   Stop: Ctrl-C or ./xq down
                ============================================================
                """.formatted(stack.app("web").url(), stack.app("screening-service").managementUrl(), stack.app("referral-service").managementUrl(),
                stack.app("hotline-service").managementUrl(), stack.app("reporting-service").managementUrl(), stack.app("notification-service").managementUrl(), stack.ports().mailViewer(), stack.keycloakUrl(), stack.dataDir().resolve("secrets.properties"), stack.kafkaBootstrap(),
                stack.ports().postgres(), stack.dataDir().resolve("logs"));
    }
}
