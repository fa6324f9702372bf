package cn.xinqiao.platform.inbox;

import java.time.ZonedDateTime;
import java.util.UUID;

/** The CloudEvents envelope of a consumed record, minus its data; {@code traceparent} is its trace context, if any. */
public record IncomingEvent(UUID id, String type, String subject, String source, ZonedDateTime time,
                            String topic, String key, String traceparent) {
}
