package cn.xinqiao.platform.id;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Ids for rows written at a high rate (submissions, outbox events and, through the events, every consumer's
 * inbox): UUID version 7 (RFC 9562), the Unix time in milliseconds followed by 74 random bits. A B-tree on a
 * random UUID puts each new row on a random leaf page, so under a screening wave nearly every insert dirtied a
 * page of its own and, after each checkpoint, wrote that page whole to the WAL; time-ordered ids go to the
 * right-hand edge of the index, a few hot pages. They are ids, not secrets: nothing is authorised by knowing one,
 * and the time in them is the row's creation time, which the row (and its event) carries anyway.
 */
public final class Ids {

    private Ids() {
    }

    /** A new version-7 UUID. */
    public static UUID timeOrdered() {
        return timeOrdered(System.currentTimeMillis(), ThreadLocalRandom.current());
    }

    static UUID timeOrdered(long unixMillis, RandomGenerator random) {
        long high = (unixMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | random.nextInt(1 << 12);
        long low = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
