package cn.xinqiao.screening;

import cn.xinqiao.screening.session.GroupRead;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The login's group read: who goes at once, who waits, what goes together, and what a failure takes with it. */
class GroupReadTest {

    /** A database whose answers the test gives by hand: each query's keys and its pending answer, in order. */
    final List<List<String>> queries = new ArrayList<>();
    final List<UniEmitter<? super Map<String, Integer>>> answers = new ArrayList<>();

    GroupRead<String, Integer> reads(int maxInFlight, int maxBatch) {
        return new GroupRead<>(keys -> Uni.createFrom().emitter(answer -> {
            queries.add(keys);
            answers.add(answer);
        }), maxInFlight, maxBatch);
    }

    static UniAssertSubscriber<Integer> read(GroupRead<String, Integer> reads, String key) {
        return reads.read(key).subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    @Test
    void underLightLoadEachReadGoesAtOnceOnItsOwn() {
        GroupRead<String, Integer> reads = reads(4, 64);
        UniAssertSubscriber<Integer> a = read(reads, "a");
        UniAssertSubscriber<Integer> b = read(reads, "b");
        assertEquals(List.of(List.of("a"), List.of("b")), queries, "two free slots: two queries, no waiting");
        answers.get(1).complete(Map.of("b", 2));
        answers.get(0).complete(Map.of("a", 1));
        a.assertItem(1);
        b.assertItem(2);
        assertArrayEquals(new long[]{2, 2}, reads.counts());
    }

    @Test
    void readsArrivingWhileTheSlotsAreTakenGoTogetherOnceOneIsFree() {
        GroupRead<String, Integer> reads = reads(1, 3);
        UniAssertSubscriber<Integer> a = read(reads, "a");
        UniAssertSubscriber<Integer> b1 = read(reads, "b");
        UniAssertSubscriber<Integer> b2 = read(reads, "b");
        UniAssertSubscriber<Integer> c = read(reads, "c");
        UniAssertSubscriber<Integer> d = read(reads, "d");
        assertEquals(List.of(List.of("a")), queries, "the others wait for the one slot");
        b1.assertNotTerminated();

        answers.get(0).complete(Map.of("a", 1));
        a.assertItem(1);
        assertEquals(List.of("b", "c"), queries.get(1), "the next three waiting (b twice, c) as one query of distinct keys");
        d.assertNotTerminated();

        answers.get(1).complete(Map.of("b", 2)); // c is not in the database
        b1.assertItem(2);
        b2.assertItem(2);
        c.assertCompleted();
        assertNull(c.getItem(), "a key the answer does not hold reads as nothing");
        assertEquals(List.of("d"), queries.get(2), "the batch cap left d for the next query");

        answers.get(2).fail(new IllegalStateException("connection lost"));
        d.assertFailedWith(IllegalStateException.class, "connection lost");
        UniAssertSubscriber<Integer> e = read(reads, "e");
        assertEquals(List.of("e"), queries.get(3), "a failed query frees its slot");
        answers.get(3).complete(Map.of("e", 5));
        e.assertItem(5);
        assertArrayEquals(new long[]{4, 6}, reads.counts(), "4 queries carried the 6 reads");
    }

    @Test
    void aQueryThatCannotBeSentFailsItsReadsAndFreesItsSlot() {
        List<List<String>> sent = new ArrayList<>();
        GroupRead<String, Integer> reads = new GroupRead<>(keys -> {
            sent.add(keys);
            if (keys.contains("boom")) {
                throw new IllegalStateException("pool closed");
            }
            return Uni.createFrom().item(Map.of(keys.get(0), 7));
        }, 1, 8);
        read(reads, "boom").assertFailedWith(IllegalStateException.class, "pool closed");
        read(reads, "x").assertItem(7);
        assertEquals(List.of(List.of("boom"), List.of("x")), sent);
    }

    @Test
    void limitsMustAllowAtLeastOneRead() {
        assertThrows(IllegalArgumentException.class, () -> reads(0, 8));
        assertThrows(IllegalArgumentException.class, () -> reads(1, 0));
    }
}
