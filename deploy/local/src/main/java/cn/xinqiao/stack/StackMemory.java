package cn.xinqiao.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The memory the local stack holds, read from {@code /proc}: every process this launcher started (and theirs) plus
 * PostgreSQL's (its postmaster detaches from the launcher). Resident now, and the sum of each process's own peak
 * (an upper bound of the stack's peak: the processes need not peak at the same moment).
 */
public final class StackMemory {

    /** Kibibytes resident now and at each process's peak, summed over {@code processes}. */
    public record Reading(long residentKib, long peakKib, int processes) {
        public String describe() {
            return "%,d MiB resident now, at most %,d MiB at peak, over %d processes".formatted(residentKib / 1024, peakKib / 1024, processes);
        }
    }

    private StackMemory() {
    }

    public static Reading read(Path postgresDataDir) {
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
        long resident = 0;
        long peak = 0;
        int counted = 0;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        resident += kib(line);
                    } else if (line.startsWith("VmHWM:")) {
                        peak += kib(line);
                    }
                }
                counted++;
            } catch (IOException e) {
                // the process ended meanwhile, or this is not Linux
            }
        }
        return new Reading(resident, peak, counted);
    }

    private static long kib(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }
}
