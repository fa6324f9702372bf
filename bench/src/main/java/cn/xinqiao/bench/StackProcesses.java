package cn.xinqiao.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The local stack's processes as the benchmarks see them (Linux /proc): CPU seconds used and peak resident memory
 * (VmHWM), per named process: each service, Kafka, Keycloak, PostgreSQL (all its backends together) and the
 * benchmark's own JVM. CPU between two snapshots tells where a request's cost goes.
 */
final class StackProcesses {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    record Usage(String name, double cpuSeconds, long peakRssKb) {
    }

    private final Path root;

    StackProcesses(Path root) {
        this.root = root;
    }

    /** CPU seconds and peak RSS by process name, now. */
    Map<String, Usage> snapshot() {
        Map<String, Usage> out = new TreeMap<>();
        for (long pid : pids()) {
            String name = name(pid);
            if (name == null) {
                continue;
            }
            // PostgreSQL's backends come and go (autovacuum workers, a closed connection): the postmaster reaps
            // them, and the kernel adds their CPU to its "children" fields, so a backend that ended between two
            // snapshots still counts (without it, one autovacuum worker's exit once made PostgreSQL's share vanish)
            double cpu = cpuSeconds(pid, name.equals("postgresql"));
            long rss = peakRss(pid);
            out.merge(name, new Usage(name, cpu, rss), (a, b) -> new Usage(name, a.cpuSeconds() + b.cpuSeconds(),
                    // PostgreSQL: shared buffers are counted in every backend; the postmaster's peak is the honest figure
                    name.equals("postgresql") ? Math.max(a.peakRssKb(), b.peakRssKb()) : a.peakRssKb() + b.peakRssKb()));
        }
        return out;
    }

    /** CPU seconds each process used between two snapshots. */
    static Map<String, Double> cpuBetween(Map<String, Usage> before, Map<String, Usage> after) {
        Map<String, Double> out = new LinkedHashMap<>();
        after.forEach((name, usage) -> out.put(name, usage.cpuSeconds() - (before.containsKey(name) ? before.get(name).cpuSeconds() : 0)));
        return out;
    }

    /** "screening-service 1.21 ms, postgresql 0.93 ms, ..." : CPU per operation, largest first. */
    static String perOperation(Map<String, Double> cpu, int operations) {
        StringBuilder line = new StringBuilder();
        double total = 0;
        for (var e : cpu.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList()) {
            if (e.getValue() * 1000 / operations >= 0.01) {
                line.append(String.format("%s %.2f ms, ", e.getKey(), e.getValue() * 1000 / operations));
            }
            total += e.getValue();
        }
        return line.append(String.format("all %.2f ms", total * 1000 / operations)).toString();
    }

    private java.util.Set<Long> pids() {
        java.util.Set<Long> pids = new java.util.LinkedHashSet<>(); // the launcher's descendants are the services again
        pids.add(ProcessHandle.current().pid());
        try {
            for (String line : Files.readAllLines(root.resolve(".xq/stack.pids"))) {
                if (!line.isBlank()) {
                    long pid = Long.parseLong(line.trim());
                    pids.add(pid);
                    ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no stack file: only this JVM is measured
        }
        // PostgreSQL's backends are children of the postmaster, which the launcher started (not in stack.pids)
        try (var procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit)).map(Long::parseLong)
                    .filter(pid -> !pids.contains(pid) && "postgresql".equals(name(pid))).forEach(pids::add);
        } catch (IOException e) {
            // not Linux: no PostgreSQL figures
        }
        return pids;
    }

    static String name(long pid) {
        try {
            String cmd = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
            if (pid == ProcessHandle.current().pid()) {
                return "load-driver";
            }
            for (String service : List.of("screening-service", "referral-service", "hotline-service", "reporting-service")) {
                if (cmd.contains(service + "/target")) {
                    return service;
                }
            }
            if (cmd.contains("web/target")) {
                return "web";
            }
            if (cmd.contains("kafka.Kafka") || cmd.contains("KafkaNode")) {
                return "kafka";
            }
            if (cmd.contains("keycloak")) {
                return "keycloak";
            }
            if (cmd.startsWith("postgres") || cmd.contains("/bin/postgres")) {
                return "postgresql";
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static double cpuSeconds(long pid, boolean withReapedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            if (withReapedChildren) {
                ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]); // cutime, cstime
            }
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }
}
