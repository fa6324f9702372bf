package cn.xinqiao.platform.inbox;

import java.util.List;

/**
 * Applies a poll's events together, in order, inside the inbox's transaction; every event is new (the inbox has
 * already dropped those whose {@code ce_id} it saw before). A handler that throws makes the inbox roll the batch
 * back and hand it the events one at a time (lists of one), so the result is the same as applying them one by one.
 */
@FunctionalInterface
public interface BatchHandler<T> {

    void applyAll(List<Received<T>> events);

    /** One event as the handler gets it: the envelope and the consumer's own view of the data. */
    record Received<T>(IncomingEvent event, T data) {
    }
}
