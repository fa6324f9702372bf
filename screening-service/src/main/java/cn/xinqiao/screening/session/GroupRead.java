package cn.xinqiao.screening.session;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Group read, the read-side twin of {@link SubmissionWriter}'s group commit: the lookups that arrive while earlier
 * ones are still at the database go out together as one query for all their keys. At most {@code maxInFlight}
 * queries are out at once; whatever arrives meanwhile waits for the next free slot and then goes as one batch (up
 * to {@code maxBatch} keys). Under light load every lookup is its own query at once, so no one waits for company;
 * in a login wave the database answers one query per several students (7 on average in the screening benchmark).
 *
 * <p>Non-blocking: the caller's thread (an event loop) only queues; the query's answer completes each caller's
 * {@link Uni} on the thread that received it. A failed query fails exactly the lookups it carried.
 *
 * @param <K> the key looked up (equal keys in one batch share the answer)
 * @param <V> what a key yields; a key absent from the answer yields {@code null}
 */
public final class GroupRead<K, V> {

    private record Waiting<K, V>(K key, UniEmitter<? super V> emitter) {
    }

    private final Function<List<K>, Uni<Map<K, V>>> query;
    private final int maxInFlight;
    private final int maxBatch;
    private final ArrayDeque<Waiting<K, V>> waiting = new ArrayDeque<>();
    private int inFlight;
    private long queries;
    private long keys;

    /**
     * @param query reads every key of a batch at once (distinct keys, in arrival order); answers only the keys found
     */
    public GroupRead(Function<List<K>, Uni<Map<K, V>>> query, int maxInFlight, int maxBatch) {
        if (maxInFlight < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("maxInFlight and maxBatch must be at least 1");
        }
        this.query = query;
        this.maxInFlight = maxInFlight;
        this.maxBatch = maxBatch;
    }

    /** What {@code key} yields ({@code null} if nothing), read together with whatever else is waiting. */
    public Uni<V> read(K key) {
        return Uni.createFrom().emitter(emitter -> {
            List<Waiting<K, V>> batch;
            synchronized (this) {
                waiting.add(new Waiting<>(key, emitter));
                batch = nextBatch();
            }
            send(batch);
        });
    }

    /** Queries sent and keys read so far (their ratio is the mean batch size). */
    public synchronized long[] counts() {
        return new long[]{queries, keys};
    }

    /** The next batch if a slot is free and someone waits (the slot is taken), else {@code null}. Caller holds the lock. */
    private List<Waiting<K, V>> nextBatch() {
        if (inFlight >= maxInFlight || waiting.isEmpty()) {
            return null;
        }
        inFlight++;
        List<Waiting<K, V>> batch = new ArrayList<>(Math.min(maxBatch, waiting.size()));
        while (batch.size() < maxBatch && !waiting.isEmpty()) {
            batch.add(waiting.poll());
        }
        queries++;
        keys += batch.size();
        return batch;
    }

    /** Sends one batch (outside the lock: the answer may come on another thread), then whatever queued meanwhile. */
    private void send(List<Waiting<K, V>> batch) {
        if (batch == null) {
            return;
        }
        List<K> distinct = batch.stream().map(Waiting::key).distinct().toList();
        Uni<Map<K, V>> answer;
        try {
            answer = query.apply(distinct);
        } catch (RuntimeException e) {
            answer = Uni.createFrom().failure(e);
        }
        answer.subscribe().with(found -> {
            done();
            batch.forEach(w -> w.emitter().complete(found.get(w.key())));
        }, failure -> {
            done();
            batch.forEach(w -> w.emitter().fail(failure));
        });
    }

    private void done() {
        List<Waiting<K, V>> next;
        synchronized (this) {
            inFlight--;
            next = nextBatch();
        }
        send(next);
    }
}
