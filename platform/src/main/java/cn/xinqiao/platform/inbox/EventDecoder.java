package cn.xinqiao.platform.inbox;

import cn.xinqiao.platform.trace.Traces;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Reads a CloudEvent's envelope and data the one way: the {@link EventInbox} uses it for every
 * live record, a replay (e.g. reporting's rebuild) uses it on raw {@link ConsumerRecord}s, so an
 * event that the live path rejects is rejected by the replay too. Reasons describe structure only.
 */
@ApplicationScoped
public class EventDecoder {

    @Inject
    ObjectMapper json;

    @Inject
    Validator validator;

    /** One decoded event. */
    public record Decoded<T>(IncomingEvent event, T data) {
    }

    /** A raw record in binary CloudEvents mode (ce_* headers), as the outbox relay writes it. */
    public <T> Decoded<T> decode(ConsumerRecord<String, String> record, Class<T> dataType) {
        String id = header(record, "ce_id");
        String type = header(record, "ce_type");
        if (id == null) {
            throw new RejectedEvent("not a CloudEvent: no ce_id/ce_type headers");
        }
        String time = header(record, "ce_time");
        ZonedDateTime at;
        try {
            at = time == null ? null : ZonedDateTime.parse(time);
        } catch (RuntimeException e) {
            throw new RejectedEvent("ce_time is not an RFC 3339 instant");
        }
        IncomingEvent event = envelope(id, type, header(record, "ce_subject"), header(record, "ce_source"), at,
                record.topic(), record.key(), header(record, "ce_" + Traces.EXTENSION));
        return new Decoded<>(event, data(record.value(), dataType));
    }

    IncomingEvent envelope(String id, String type, String subject, String source, ZonedDateTime time, String topic, String key,
                           String traceparent) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (RuntimeException e) {
            throw new RejectedEvent("ce_id is not a UUID");
        }
        if (type == null || type.isBlank()) {
            throw new RejectedEvent("ce_type is missing");
        }
        return new IncomingEvent(uuid, type, subject, source, time, topic, key, Traces.valid(traceparent));
    }

    /** Maps the JSON data onto the consumer's own class and checks its bean constraints. */
    public <T> T data(String payload, Class<T> dataType) {
        if (payload == null || payload.isBlank()) {
            throw new RejectedEvent("empty event data");
        }
        ObjectReader reader = json.readerFor(dataType).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        T data;
        try {
            data = reader.readValue(payload);
        } catch (JsonParseException e) {
            throw new RejectedEvent("malformed JSON at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (MismatchedInputException e) {
            throw new RejectedEvent("data does not match " + dataType.getSimpleName() + " at " + path(e));
        } catch (JsonProcessingException e) {
            throw new RejectedEvent("unreadable event data (" + e.getClass().getSimpleName() + ")");
        }
        if (data == null) {
            throw new RejectedEvent("event data is null");
        }
        Set<ConstraintViolation<T>> violations = validator.validate(data);
        if (!violations.isEmpty()) {
            throw new RejectedEvent("data violates " + dataType.getSimpleName() + ": " + violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> v.getPropertyPath() + " " + v.getMessage())
                    .collect(Collectors.joining("; ")));
        }
        return data;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String path(MismatchedInputException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "the root" : path;
    }
}
