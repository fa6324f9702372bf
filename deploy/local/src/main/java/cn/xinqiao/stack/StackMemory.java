package cn.xinqiao.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory the local stack holds, read from {@code /proc}: every process this launcher started (and theirs) plus
 * PostgreSQL's (its postmaster detaches from the launcher).
 *
 * <p>The stack's resident memory is the sum of each process's proportional set size (PSS: a page shared by n processes
 * counts 1/n in each), which adds up to the pages the stack really holds. The plain sum of each process's RSS counts
 * a shared page once per process that maps it (PostgreSQL's shared buffers in every backend, shared libraries) and
 * overstates it; it is printed beside. {@link Sampler} keeps the highest PSS sum seen while the stack runs.
 */
public final class StackMemory {

    /** Kibibytes: the stack's proportional sum (PSS) and the plain sum of RSS, now, over {@code processes}. */
    public record Reading(long proportionalKib, long residentSumKib, int processes) {
        public String describe() {
            return "%,d MiB resident (PSS: shared pages counted once; the sum of each process's RSS is %,d MiB) over %d processes"
                    .formatted(proportionalKib / 1024, residentSumKib / 1024, processes);
        }
    }

    private StackMemory() {
    }

    public static Reading read(Path postgresDataDir) {
        long proportional = 0;
        long resident = 0;
        int counted = 0;
        for (long pid : pids(postgresDataDir)) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                    if (line.startsWith("Pss:")) {
                        proportional += kib(line);
                    } else if (line.startsWith("Rss:")) {
                        resident += kib(line);
                    }
                }
                counted++;
            } catch (IOException e) {
                // the process ended meanwhile, or this is not Linux
            }
        }
        return new Reading(proportional, resident, counted);
    }

    private static Set<Long> pids(Path postgresDataDir) {
        Set<Long> pids = new LinkedHashSet<>();
        pids.add(ProcessHandle.current().pid());
        ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));
        try {
            List<String> postmaster = Files.readAllLines(postgresDataDir.resolve("postmaster.pid"));
            long pid = Long.parseLong(postmaster.get(0).trim());
            pids.add(pid);
            ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        } catch (IOException | RuntimeException e) {
            // no PostgreSQL of ours running: the rest still counts
        }
        return pids;
    }

    /** Reads the stack every {@code periodMs} on a daemon thread and keeps the highest proportional sum. */
    public static final class Sampler implements AutoCloseable {
        private final AtomicLong peakKib = new AtomicLong();
        private final Thread thread;

        public Sampler(Path postgresDataDir, long periodMs) {
            thread = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peakKib.accumulateAndGet(read(postgresDataDir).proportionalKib(), Math::max);
                    try {
                        Thread.sleep(periodMs);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "stack-memory");
            thread.setDaemon(true);
            thread.start();
        }

        /** The highest PSS sum seen so far, in kibibytes. */
        public long peakKib() {
            return peakKib.get();
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }

    private static long kib(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }
}
