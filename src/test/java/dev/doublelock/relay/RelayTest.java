package dev.doublelock.relay;

import dev.doublelock.config.RelayConfig;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.relay.intake.NetworkAllowList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole relay wired from options: listeners, self-signed TLS, metrics, engine lifecycle. */
class RelayTest {
    @TempDir
    Path dir;

    private RelayOptions options() {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        RelayOptions defaults = RelayConfig.parse("{\"dataDir\": \"" + dir.resolve("data") + "\"}", "test");
        return defaults.withListeners(Optional.of(any), Optional.of(any), Optional.of(any));
    }

    /** An engine that records its life and reports one metric. */
    static final class RecordingEngine implements DeliveryEngine {
        final List<String> events;
        final QueueStore store;

        RecordingEngine(QueueStore store, List<String> events) {
            this.store = store;
            this.events = events;
        }

        public void start() {
            events.add("start");
        }

        public void close() {
            events.add("close, store still open: " + (store.counts() != null));
        }

        public String prometheusText() {
            return "doublelock_deliveries_total 7\n";
        }
    }

    @Test
    void startsListenersMakesASelfSignedCertificateAndServesMetrics() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        List<String> notices = new CopyOnWriteArrayList<>();
        try (Relay relay = Relay.start(options(), (store, o) -> new RecordingEngine(store, events), notices::add)) {
            assertThat(notices).singleElement().asString().contains("self-signed").contains(dir.resolve("data/tls").toString());
            assertThat(dir.resolve("data/tls/self-signed.key.pem")).exists();
            assertThat(dir.resolve("data/queue.db")).exists();
            assertThat(events).containsExactly("start");
            relay.store().enqueue(new Envelope("a@b.example", List.of("c@d.example")), "x\r\n".getBytes(StandardCharsets.US_ASCII));
            try (Socket s = new Socket()) {
                s.connect(relay.relayAddress().orElseThrow(), 5000);
                s.setSoTimeout(5000);
                String greeting = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                assertThat(greeting).startsWith("220 localhost ESMTP");
            }
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + relay.metricsAddress().orElseThrow().getPort() + "/metrics");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            // written by the Prometheus Java client: values as decimals, the JVM's own metrics beside ours
            assertThat(r.body()).contains("doublelock_queue_messages{state=\"queued\"} 1.0\n")
                    .contains("doublelock_queue_messages{state=\"deferred\"} 0.0\n")
                    .contains("# TYPE jvm_memory_used_bytes gauge").contains("jvm_threads_current")
                    .contains("# TYPE doublelock_intake_accepted_total counter")
                    .contains("doublelock_deliveries_total 7\n");
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(uri.resolve("/admin")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(404);
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
        assertThat(events).containsExactly("start", "close, store still open: true");
    }

    @Test
    void aSecondStartReusesTheSelfSignedCertificate() throws Exception {
        List<String> notices = new CopyOnWriteArrayList<>();
        try (Relay r = Relay.start(options(), (s, o) -> DeliveryEngine.QUEUE_ONLY, notices::add)) {
            assertThat(r.submissionAddress()).isPresent();
        }
        String first = Files.readString(dir.resolve("data/tls/self-signed.chain.pem"));
        try (Relay r = Relay.start(options(), (s, o) -> DeliveryEngine.QUEUE_ONLY, notices::add)) {
            assertThat(r.submissionAddress()).isPresent();
        }
        assertThat(notices).hasSize(1);
        assertThat(Files.readString(dir.resolve("data/tls/self-signed.chain.pem"))).isEqualTo(first);
    }

    @Test
    void closeStopsAcceptingMailBeforeTheEngineStops() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReference<InetSocketAddress> relayAt = new java.util.concurrent.atomic.AtomicReference<>();
        Relay relay = Relay.start(options(), (store, o) -> new DeliveryEngine() {
            public void start() {
            }

            public void close() {
                events.add("engine closing; relay port " + (accepts(relayAt.get()) ? "still open" : "closed"));
            }

            public String prometheusText() {
                return "";
            }
        }, n -> { });
        relayAt.set(relay.relayAddress().orElseThrow());
        assertThat(accepts(relayAt.get())).isTrue();
        relay.close();
        assertThat(events).containsExactly("engine closing; relay port closed");
    }

    /** True if an SMTP greeting comes from {@code address}. */
    private static boolean accepts(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, 2000);
            s.setSoTimeout(2000);
            return s.getInputStream().read() == '2';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void aPortInUseIsAClearError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            RelayOptions o = options().withListeners(Optional.empty(),
                    Optional.of(new InetSocketAddress("127.0.0.1", taken.getLocalPort())), Optional.empty());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Relay.start(o, (s, x) -> DeliveryEngine.QUEUE_ONLY, n -> { }))
                    .hasMessageContaining("cannot listen on").hasMessageContaining("change it in the config");
        }
        assertThat(NetworkAllowList.loopback().networks()).hasSize(2);
    }
}
