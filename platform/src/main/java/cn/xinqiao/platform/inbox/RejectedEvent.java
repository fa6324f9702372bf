package cn.xinqiao.platform.inbox;

/**
 * The event can never be applied as it is (malformed, violates its contract, names something
 * that does not exist). It goes to the dead-letter topic with this reason; it is not retried.
 * The message must describe structure only: never copy personal data from the event into it.
 */
public class RejectedEvent extends RuntimeException {
    public RejectedEvent(String reason) {
        super(reason);
    }
}
