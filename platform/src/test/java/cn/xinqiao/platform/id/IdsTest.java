package cn.xinqiao.platform.id;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdsTest {

    @Test
    void aVersion7UuidCarriesItsMillisecondAndTheRfcVersionAndVariant() {
        long t = 1_795_000_000_123L; // 2026-11-18
        UUID id = Ids.timeOrdered(t, new Random(1));
        assertEquals(7, id.version());
        assertEquals(2, id.variant(), "the RFC 9562 variant (binary 10)");
        assertEquals(t, id.getMostSignificantBits() >>> 16, "the first 48 bits are the Unix time in milliseconds");
        assertEquals(String.format("%012x", t), id.toString().replace("-", "").substring(0, 12));
    }

    @Test
    void laterIdsSortAfterEarlierOnesAsTextAndAsPostgresqlCompares() {
        Random random = new Random(2);
        UUID earlier = Ids.timeOrdered(1_795_000_000_000L, random);
        UUID later = Ids.timeOrdered(1_795_000_000_001L, random);
        assertTrue(earlier.toString().compareTo(later.toString()) < 0);
        // PostgreSQL orders uuid by its bytes, unsigned: the same as the text, and unlike java.util.UUID.compareTo
        assertTrue(Long.compareUnsigned(earlier.getMostSignificantBits(), later.getMostSignificantBits()) < 0);
    }

    @Test
    void idsOfOneMillisecondDoNotCollide() {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            assertTrue(seen.add(Ids.timeOrdered()));
        }
    }
}
