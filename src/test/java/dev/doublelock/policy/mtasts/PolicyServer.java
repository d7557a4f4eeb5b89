package dev.doublelock.policy.mtasts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTPS server standing in for {@code mta-sts.DOMAIN}: one behaviour per domain, served at
 * {@code https://127.0.0.1:PORT/DOMAIN/.well-known/mta-sts.txt} with a certificate from a test CA.
 */
final class PolicyServer implements AutoCloseable {
    private final HttpsServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, HttpHandler> behaviours = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);

    PolicyServer(TestCa.Leaf leaf) throws Exception {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(leaf.serverContext()));
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String domain = exchange.getRequestURI().getPath().split("/")[1];
            HttpHandler h = behaviours.get(domain);
            if (h == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            } else {
                h.handle(exchange);
            }
        });
        server.start();
    }

    URI uri(String domain) {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/" + domain + "/.well-known/mta-sts.txt");
    }

    int requests() {
        return requests.get();
    }

    PolicyServer serve(String domain, HttpHandler handler) {
        behaviours.put(domain, handler);
        return this;
    }

    PolicyServer policy(String domain, String body) {
        return serve(domain, ex -> respond(ex, 200, "text/plain; charset=utf-8", body));
    }

    static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
