package cn.xinqiao.platform.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.regex.Pattern;

/**
 * W3C trace context across the chain, the one way: an HTTP request's trace (Quarkus OpenTelemetry) is written with
 * each outbox row it causes ({@link #current()}), the relay publishes it as the CloudEvents distributed-tracing
 * extension ({@code ce_traceparent}) inside a producer span, and the inbox applies each consumed event inside a
 * consumer span of that trace, so whatever the handler writes to its own outbox carries the same trace id on.
 * Spans are recorded and exported only when the sampler's ratio and an OTLP endpoint are set (platform README);
 * the trace id travels either way.
 */
@ApplicationScoped
public class Traces {

    /** The CloudEvents distributed-tracing extension attribute: {@code ce_traceparent} in Kafka's binary mode. */
    public static final String EXTENSION = "traceparent";

    private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private static final TextMapGetter<String> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(EXTENSION);
        }

        @Override
        public String get(String carrier, String key) {
            return EXTENSION.equals(key) ? carrier : null;
        }
    };

    @Inject
    Tracer tracer;

    /** The current span's context as a W3C {@code traceparent}, or null outside any trace. */
    public static String current() {
        return of(Span.current());
    }

    /** A well-formed version-00 {@code traceparent}, or null (whatever a producer put there, it goes no further). */
    public static String valid(String traceparent) {
        return traceparent != null && TRACEPARENT.matcher(traceparent).matches()
                && !traceparent.startsWith("00-00000000000000000000000000000000") ? traceparent : null;
    }

    /** The trace id of a {@code traceparent}, or null. */
    public static String traceId(String traceparent) {
        String valid = valid(traceparent);
        return valid == null ? null : valid.substring(3, 35);
    }

    /**
     * Starts a span of {@code kind} as a child of {@code traceparent} (a new trace when there is none) and makes it
     * current until {@link Active#close()}.
     */
    public Active start(String name, SpanKind kind, String traceparent) {
        Span span = tracer.spanBuilder(name).setSpanKind(kind).setParent(parentOf(traceparent)).startSpan();
        return new Active(span, span.makeCurrent());
    }

    /** A producer span (not made current): ended by the caller once the broker acknowledged the send. */
    public Span producer(String name, String traceparent) {
        return tracer.spanBuilder(name).setSpanKind(SpanKind.PRODUCER).setParent(parentOf(traceparent)).startSpan();
    }

    /**
     * Makes a stored trace context current without a span of its own, for work done on behalf of a request on another
     * thread (a group commit); a no-op scope without one.
     */
    public static Scope resume(String traceparent) {
        if (valid(traceparent) == null) {
            return Scope.noop();
        }
        return parentOf(traceparent).makeCurrent();
    }

    /** A span's context as a {@code traceparent}, or null. */
    public static String of(Span span) {
        SpanContext c = span.getSpanContext();
        return c.isValid() ? "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex() : null;
    }

    private static Context parentOf(String traceparent) {
        return valid(traceparent) == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, GETTER);
    }

    /** A started span, current on this thread until closed. */
    public record Active(Span span, Scope scope) implements AutoCloseable {

        /** This span's own context as a {@code traceparent} (what goes on the wire from inside it). */
        public String traceparent() {
            return of(span);
        }

        public void failed(Throwable error) {
            span.recordException(error);
            span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR);
        }

        @Override
        public void close() {
            scope.close();
            span.end();
        }
    }
}
