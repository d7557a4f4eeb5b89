package dev.doublelock.relay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The Prometheus scrape endpoint: {@code GET /metrics} answers the text exposition format (version
 * 0.0.4) from a supplier; every other path is 404, every other method 405. Read-only, no request body
 * is read.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    /** Binds {@code address} and serves {@code text} at /metrics. */
    public static MetricsEndpoint start(InetSocketAddress address, Supplier<String> text) throws IOException {
        HttpServer http;
        try {
            dev.doublelock.io.HttpServerTimeouts.apply();
            http = HttpServer.create(address, 16);
        } catch (java.net.BindException e) {
            throw new dev.doublelock.io.ListenerBindException("metrics", address,
                    "change it in the config: metrics.listen (--config FILE; \"off\" turns it off)", e);
        }
        MetricsEndpoint endpoint = new MetricsEndpoint(http);
        http.createContext("/", exchange -> endpoint.handle(exchange, text));
        http.setExecutor(endpoint.executor);
        http.start();
        return endpoint;
    }

    private void handle(HttpExchange exchange, Supplier<String> text) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                respond(exchange, 404, "not found; metrics are at /metrics\n");
            } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "use GET\n");
            } else {
                String body;
                try {
                    body = text.get();
                } catch (RuntimeException e) {
                    respond(exchange, 503, "metrics unavailable: " + e.getMessage() + "\n");
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                respond(exchange, 200, body);
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
