package dev.doublelock.relay;

import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueueStores;
import dev.doublelock.queue.State;
import dev.doublelock.relay.intake.Intake;
import dev.doublelock.relay.intake.IntakeCounters;
import dev.doublelock.relay.intake.IntakeOptions;
import dev.doublelock.relay.intake.ListenerRole;
import dev.doublelock.smtp.server.SmtpServer;
import dev.doublelock.smtp.server.StartTlsSupport;
import dev.doublelock.tls.pki.CertifiedKey;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A running relay: the durable queue, the intake listeners (submission and relay) in front of it, the
 * delivery engine behind it and the metrics endpoint beside it. {@link #close()} shuts down in the safe
 * order: stop accepting mail, let in-flight deliveries finish, then close the queue.
 * <pre>{@code
 * try (Relay relay = Relay.start(options, (store, o) -> new DeliveryWorker(...), System.err::println)) { ... }
 * }</pre>
 */
public final class Relay implements AutoCloseable {
    private final QueueStore store;
    private final IntakeCounters counters = new IntakeCounters();
    private final List<SmtpServer> listeners = new ArrayList<>();
    private SmtpServer submission;
    private SmtpServer relay;
    private volatile DeliveryEngine engine = DeliveryEngine.QUEUE_ONLY;
    private MetricsEndpoint metrics;
    private RelayPage page;

    private Relay(QueueStore store) {
        this.store = store;
    }

    /**
     * Opens the queue (running migrations), starts the listeners and the engine, and returns. On any
     * failure whatever was started is stopped again before the exception leaves.
     *
     * @param notices one-line messages for the operator (e.g. "made a self-signed certificate")
     */
    public static Relay start(RelayOptions options, DeliveryEngineFactory engines, Consumer<String> notices) throws IOException {
        Relay r = new Relay(QueueStores.open(options.queueLocation()));
        try {
            r.startListeners(options, notices);
            r.engine = engines.create(r.store, options);
            r.engine.start(notices);
            if (options.metrics().isPresent()) {
                r.metrics = MetricsEndpoint.start(options.metrics().get(), r::metricsText);
            }
            if (options.page().isPresent()) {
                r.page = RelayPage.start(options.page().get(), r.store, options.delivery().policyMode(),
                        java.time.Clock.systemUTC());
                if (!options.page().get().getAddress().isLoopbackAddress()) {
                    notices.accept("warning: the relay page listens on " + r.page.url() + ", not on loopback "
                            + "(page.allowNonLoopback): anyone who can reach it sees what waits, for whom and why");
                }
            }
            return r;
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    private void startListeners(RelayOptions options, Consumer<String> notices) throws IOException {
        CertifiedKey key = options.tlsCertificate().isPresent()
                ? ServerTls.load(options.tlsCertificate().get(), options.tlsKey().orElseThrow())
                : ServerTls.selfSigned(options.dataDir().resolve("tls"), options.hostName(), notices);
        StartTlsSupport tls = new StartTlsSupport.Offered(ServerTls.upgrader(ServerTls.context(key)));
        IntakeOptions intake = IntakeOptions.defaults(options.hostName()).withUsers(options.users())
                .withAllowedNetworks(options.allowedNetworks()).withAuthFailureDelay(options.authFailureDelay())
                .withAuthFailureLimit(options.authFailureLimit()); // one guard for both listeners
        if (options.submission().isPresent()) {
            submission = listen(options, options.submission().get(), tls, new Intake(store, intake, ListenerRole.SUBMISSION, counters,
                    () -> engine.wake()));
        }
        if (options.relay().isPresent()) {
            relay = listen(options, options.relay().get(), tls, new Intake(store, intake, ListenerRole.RELAY, counters,
                    () -> engine.wake()));
        }
    }

    private SmtpServer listen(RelayOptions options, InetSocketAddress address, StartTlsSupport tls, Intake intake) throws IOException {
        SmtpServer server = SmtpServer.builder().bind(address).hostName(options.hostName()).limits(options.limits())
                .startTls(tls).handlerFactory(intake).build();
        try {
            server.start();
        } catch (IOException e) {
            server.close();
            throw new dev.doublelock.io.ListenerBindException(intake.role().name().toLowerCase(Locale.ROOT), address,
                    "change it in the config: " + intake.role().name().toLowerCase(Locale.ROOT) + ".listen (--config FILE)", e);
        }
        listeners.add(server);
        return server;
    }

    public Optional<InetSocketAddress> submissionAddress() {
        return Optional.ofNullable(submission).map(SmtpServer::address);
    }

    public Optional<InetSocketAddress> relayAddress() {
        return Optional.ofNullable(relay).map(SmtpServer::address);
    }

    /** The relay page's address, if {@code page.listen} is on. */
    public Optional<InetSocketAddress> pageAddress() {
        return Optional.ofNullable(page).map(RelayPage::address);
    }

    public Optional<InetSocketAddress> metricsAddress() {
        return Optional.ofNullable(metrics).map(MetricsEndpoint::address);
    }

    public QueueStore store() {
        return store;
    }

    private io.prometheus.metrics.model.registry.PrometheusRegistry registry;

    public IntakeCounters counters() {
        return counters;
    }

    /**
     * Queue size by state, intake counters, the engine's delivery metrics and the JVM's (memory, GC, threads, ...),
     * in Prometheus text format, written by the Prometheus Java client.
     */
    public String metricsText() {
        String text = dev.doublelock.relay.delivery.PrometheusText.of(registry());
        String legacy = engine.collectors().isEmpty() ? engine.prometheusText() : "";
        return legacy == null || legacy.isEmpty() ? text : text + (legacy.endsWith("\n") ? legacy : legacy + "\n");
    }

    private synchronized io.prometheus.metrics.model.registry.PrometheusRegistry registry() {
        if (registry == null) {
            io.prometheus.metrics.model.registry.PrometheusRegistry r = new io.prometheus.metrics.model.registry.PrometheusRegistry();
            r.register(io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("doublelock_queue_messages")
                    .help("Messages in the queue by state.").labelNames("state")
                    .callback(cb -> store.counts().forEach((st, n) -> cb.call(n, st.name().toLowerCase(Locale.ROOT))))
                    .build());
            counters.collectors().forEach(r::register);
            engine.collectors().forEach(r::register);
            io.prometheus.metrics.instrumentation.jvm.JvmMetrics.builder().register(r);
            registry = r;
        }
        return registry;
    }

    /** Stops the listeners, lets the engine finish in-flight deliveries, stops metrics, closes the queue. */
    @Override
    public void close() {
        listeners.forEach(SmtpServer::close);
        try {
            engine.close();
        } finally {
            if (metrics != null) {
                metrics.close();
            }
            if (page != null) {
                page.close();
            }
            store.close();
        }
    }
}
