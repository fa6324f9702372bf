package cn.xinqiao.testing.providers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/** The shared plumbing of a local stand-in for a third-party HTTP API: a JDK server on a free port, JSON answers, queued faults. */
abstract class ProviderServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    /** Error codes to answer with, one per request, before the provider behaves normally again. */
    protected final Deque<String> faults = new ArrayDeque<>();

    ProviderServer(String path) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, exchange -> {
            try {
                handle(exchange);
            } catch (RuntimeException e) {
                answer(exchange, 500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    abstract void handle(HttpExchange exchange) throws IOException;

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The next request answers with this documented error code instead (repeat the call to queue several). */
    public synchronized void failNext(String code) {
        faults.add(code);
    }

    synchronized String nextFault() {
        return faults.poll();
    }

    static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
