package dev.doublelock.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.relay.delivery.PolicyMap;
import dev.doublelock.relay.impact.ImpactReport;
import dev.doublelock.relay.impact.RelayOverview;
import dev.doublelock.relay.impact.ReportWindow;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The relay page (config key {@code page.listen}, off by default): what waits by domain and reason, refusals by
 * finding code over time and testing mode's impact report, read-only, from the queue. The page is static HTML that
 * renders the JSON API beside it, which {@code doublelock relay impact} computes the same way:
 * <ul>
 *   <li>{@code GET /} the page</li>
 *   <li>{@code GET /api/overview?since=7d} {@link RelayOverview#json()}</li>
 *   <li>{@code GET /api/impact?since=7d} {@link ImpactReport#json()}</li>
 * </ul>
 * It has no login: the config binds it to loopback unless told otherwise ({@code page.allowNonLoopback}), and on
 * loopback it answers only requests whose {@code Host} is a loopback name or address, so a web page elsewhere cannot
 * read it through DNS rebinding. Every other method is 405, every other path 404, a bad {@code since} 400.
 */
public final class RelayPage implements AutoCloseable {
    /** The window when the query names none. */
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final QueueStore store;
    private final PolicyMap.Mode mode;
    private final Clock clock;

    private RelayPage(HttpServer server, QueueStore store, PolicyMap.Mode mode, Clock clock) {
        this.server = server;
        this.store = store;
        this.mode = mode;
        this.clock = clock;
    }

    /** Binds {@code address} and serves the page for {@code store}, whose relay runs in {@code mode}. */
    public static RelayPage start(InetSocketAddress address, QueueStore store, PolicyMap.Mode mode, Clock clock)
            throws IOException {
        HttpServer http;
        try {
            http = HttpServer.create(address, 16);
        } catch (java.net.BindException e) {
            throw new dev.doublelock.io.ListenerBindException("relay page", address,
                    "change it in the config: page.listen (--config FILE; \"off\" turns it off)", e);
        }
        RelayPage page = new RelayPage(http, store, mode, clock);
        http.createContext("/", page::handle);
        http.setExecutor(page.executor);
        http.start();
        return page;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The page's URL, e.g. {@code http://127.0.0.1:8025/}. */
    public String url() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", bytes("use GET\n"));
                return;
            }
            if (address().getAddress().isLoopbackAddress() && !loopbackHost(ex.getRequestHeaders().getFirst("Host"))) {
                send(ex, 421, "text/plain; charset=utf-8", bytes("this page answers only for 127.0.0.1, [::1] or "
                        + "localhost\n"));
                return;
            }
            String path = ex.getRequestURI().getPath();
            ReportWindow window;
            try {
                window = ReportWindow.last(since(ex.getRequestURI().getQuery()), clock);
            } catch (IllegalArgumentException e) {
                send(ex, 400, "text/plain; charset=utf-8", bytes("since: " + e.getMessage() + "\n"));
                return;
            }
            switch (path) {
                case "/" -> send(ex, 200, "text/html; charset=utf-8", page());
                case "/api/overview" -> sendJson(ex, RelayOverview.of(store, window, mode, clock.instant()).json());
                case "/api/impact" -> sendJson(ex, ImpactReport.of(store, window, mode, RelayOverview.TOP_DOMAINS).json());
                default -> send(ex, 404, "text/plain; charset=utf-8", bytes("no such page: " + path
                        + "; the page is at /, its data at /api/overview and /api/impact\n"));
            }
        } catch (RuntimeException e) {
            send(ex, 503, "text/plain; charset=utf-8", bytes("the queue cannot be read: " + e.getMessage() + "\n"));
        }
    }

    /** {@code since=7d} from the query, else {@link #DEFAULT_WINDOW}. */
    static Duration since(String query) {
        if (query != null) {
            for (String kv : query.split("&")) {
                if (kv.startsWith("since=")) {
                    return ReportWindow.parseLength(java.net.URLDecoder.decode(kv.substring(6), StandardCharsets.UTF_8));
                }
            }
        }
        return DEFAULT_WINDOW;
    }

    /** True for a Host header naming a loopback address or localhost (with or without a port). */
    static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.strip().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1");
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.equals("localhost") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static byte[] page() throws IOException {
        try (InputStream in = RelayPage.class.getResourceAsStream("/dev/doublelock/relay/relay.html")) {
            if (in == null) throw new IOException("relay.html missing from the jar");
            return in.readAllBytes();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void sendJson(HttpExchange ex, Object value) throws IOException {
        send(ex, 200, "application/json", JSON.writeValueAsBytes(value));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        dev.doublelock.io.PageResponse.send(ex, status, type, body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
