package cn.xinqiao.stack;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

class StackMemoryTest {

    @Test
    void readsThisProcessAtLeastAndNeverCountsMoreThanTheSumOfRss() {
        StackMemory.Reading reading = StackMemory.read(Path.of("no-postgres-here"));
        assertTrue(reading.processes() >= 1, reading.describe());
        assertTrue(reading.proportionalKib() > 10_000, "a JVM holds more than 10 MB: " + reading.describe());
        // PSS divides each shared page among the processes that map it: never more than their RSS summed
        assertTrue(reading.proportionalKib() <= reading.residentSumKib(), reading.describe());
        assertTrue(reading.describe().contains("MiB resident (PSS"), reading.describe());
    }

    @Test
    void theSamplerKeepsThePeak() throws InterruptedException {
        try (StackMemory.Sampler sampler = new StackMemory.Sampler(Path.of("no-postgres-here"), 10)) {
            long deadline = System.currentTimeMillis() + 5_000;
            while (sampler.peakKib() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            byte[][] held = new byte[64][];
            for (int i = 0; i < held.length; i++) {
                held[i] = new byte[1 << 20];
                java.util.Arrays.fill(held[i], (byte) 1); // touched: resident
            }
            long during = StackMemory.read(Path.of("no-postgres-here")).proportionalKib();
            Thread.sleep(100);
            assertTrue(sampler.peakKib() >= during - 16 * 1024, "peak " + sampler.peakKib() + " KiB, now " + during + " KiB");
            assertTrue(held[63][0] == 1);
        }
    }
}
