package cn.xinqiao.stack;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

class StackMemoryTest {

    @Test
    void readsThisProcessAtLeastAndAPeakNoLowerThanWhatIsResident() {
        StackMemory.Reading reading = StackMemory.read(Path.of("no-postgres-here"));
        assertTrue(reading.processes() >= 1, reading.describe());
        assertTrue(reading.residentKib() > 10_000, "a JVM holds more than 10 MB: " + reading.describe());
        assertTrue(reading.peakKib() >= reading.residentKib(), reading.describe());
        assertTrue(reading.describe().contains("MiB resident now"), reading.describe());
    }
}
