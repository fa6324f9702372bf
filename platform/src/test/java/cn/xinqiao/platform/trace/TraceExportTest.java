package cn.xinqiao.platform.trace;

import cn.xinqiao.platform.testapp.NoteService;
import cn.xinqiao.testing.KafkaProbe;
import cn.xinqiao.testing.TestTokens;
import cn.xinqiao.testing.XinqiaoInfrastructure;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a sampling ratio and an OTLP endpoint set, one request's trace goes through the outbox, Kafka and the consumer
 * and its spans reach the collector (here a plain HTTP receiver of OTLP/protobuf: a span's trace id is its 16 raw
 * bytes there, its name a UTF-8 string).
 */
@QuarkusTest
@QuarkusTestResource(XinqiaoInfrastructure.class)
@TestProfile(TraceExportTest.Exported.class)
class TraceExportTest {

    /** What the collector received: each POST's body. */
    static final List<byte[]> RECEIVED = new CopyOnWriteArrayList<>();

    public static class Exported implements QuarkusTestProfile {
        private static HttpServer collector;

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.traces.sampler.arg", "1.0",
                    "quarkus.otel.exporter.otlp.traces.endpoint", "http://localhost:" + collector().getAddress().getPort(),
                    "quarkus.otel.bsp.schedule.delay", "PT0.1S");
        }

        private static synchronized HttpServer collector() {
            if (collector == null) {
                try {
                    collector = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                collector.createContext("/v1/traces", exchange -> {
                    RECEIVED.add(exchange.getRequestBody().readAllBytes());
                    exchange.sendResponseHeaders(200, -1);
                    exchange.close();
                });
                collector.start();
            }
            return collector;
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aRequestsTraceCrossesTheOutboxAndKafkaAndItsSpansAreExported() throws Exception {
        String traceId = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16).putLong(System.nanoTime()).putLong(42L).array());
        String id = given().auth().oauth2(TestTokens.counselor("S370811001", "370811")).contentType(ContentType.JSON)
                .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
                .body(Map.of("text", "traced", "scores", List.of(1)))
                .post("/test/notes").then().statusCode(200).extract().path("id");

        ConsumerRecord<String, String> record = new KafkaProbe(bootstrap).readUntil(NoteService.TOPIC, Duration.ofSeconds(20),
                        rs -> rs.stream().anyMatch(r -> id.equals(r.key())))
                .stream().filter(r -> id.equals(r.key())).findFirst().orElseThrow();
        String onTheWire = KafkaProbe.header(record, "ce_traceparent");
        assertEquals(traceId, Traces.traceId(onTheWire), "the event carries the request's trace: " + onTheWire);
        assertNotEquals("b7ad6b7169203331", onTheWire.substring(36, 52), "its parent is the relay's producer span");

        byte[] rawTraceId = HexFormat.of().parseHex(traceId);
        List<String> spans = List.of("POST /test/notes", NoteService.TOPIC + " publish", NoteService.TOPIC + " process");
        Instant deadline = Instant.now().plusSeconds(20);
        List<String> missing = spans;
        while (Instant.now().isBefore(deadline)) {
            List<byte[]> ofTrace = RECEIVED.stream().filter(body -> indexOf(body, rawTraceId) >= 0).toList();
            missing = spans.stream().filter(name -> ofTrace.stream()
                    .noneMatch(body -> indexOf(body, name.getBytes(StandardCharsets.UTF_8)) >= 0)).toList();
            if (missing.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(missing.isEmpty(), "spans of the trace the collector never received: " + missing + " (" + RECEIVED.size() + " exports)");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
