package cn.xinqiao.platform.inbox;

/** Applies one event's side effects; runs inside the inbox's transaction. */
@FunctionalInterface
public interface EventHandler<T> {
    void apply(IncomingEvent event, T data);
}
