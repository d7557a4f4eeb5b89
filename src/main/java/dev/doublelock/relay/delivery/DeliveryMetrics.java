package dev.doublelock.relay.delivery;

import dev.doublelock.dns.DnssecSupport;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a {@link DeliveryWorker}, thread-safe, for logs and a Prometheus endpoint
 * ({@link #prometheusText()}): deliveries, deferrals, bounces, DSNs, policy refusals by finding code,
 * would-be refusals in TESTING mode, how opportunistic sessions were protected (unverified TLS, the legacy TLS
 * engine, plaintext after STARTTLS was offered), attempt latency as a histogram, and whether the resolver passes
 * DNSSEC data.
 */
public final class DeliveryMetrics {
    private static final double[] BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};
    private final LongAdder delivered = new LongAdder();
    private final LongAdder deferred = new LongAdder();
    private final LongAdder bounced = new LongAdder();
    private final LongAdder dsnsSent = new LongAdder();
    private final LongAdder attempts = new LongAdder();
    private final LongAdder tlsResumed = new LongAdder();
    private final LongAdder tlsResumptionRejected = new LongAdder();
    private final LongAdder sessionsReused = new LongAdder();
    private final LongAdder plaintextFallbacks = new LongAdder();
    private final LongAdder legacyTls = new LongAdder();
    private final LongAdder unverifiedTls = new LongAdder();
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> wouldRefuse = new ConcurrentHashMap<>();
    private final Histogram latency = Histogram.builder().name("doublelock_delivery_attempt_seconds")
            .help("Duration of one attempt at a next-hop server.").classicOnly().classicUpperBounds(BUCKETS).build();
    private final List<io.prometheus.metrics.model.registry.Collector> collectors;
    private volatile java.util.function.IntSupplier cachedConnections = () -> 0;
    private volatile DnssecSupport.State resolverDnssec;

    DeliveryMetrics() {
        collectors = List.copyOf(buildCollectors());
    }

    void recipientsDelivered(int n) {
        delivered.add(n);
    }

    void messageDeferred() {
        deferred.increment();
    }

    void recipientsBounced(int n) {
        bounced.add(n);
    }

    void dsnSent() {
        dsnsSent.increment();
    }

    void refused(String code) {
        refusals.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    void wouldRefuse(String code) {
        wouldRefuse.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    void plaintextFallback() {
        plaintextFallbacks.increment();
    }

    void legacyTlsUsed() {
        legacyTls.increment();
    }

    void unverifiedTlsUsed() {
        unverifiedTls.increment();
    }

    /**
     * Messages sent in plaintext to a server that offered STARTTLS (opportunistic / testing only): it refused
     * STARTTLS, or neither the JDK's TLS nor the legacy engine could complete a handshake with it.
     */
    public long plaintextFallbacks() {
        return plaintextFallbacks.sum();
    }

    /** Messages sent over the legacy TLS engine (TLS 1.0/1.1 or static-RSA servers; opportunistic / testing only). */
    public long legacyTls() {
        return legacyTls.sum();
    }

    /** Messages sent over TLS whose certificate did not verify (opportunistic / testing only; findings recorded). */
    public long unverifiedTls() {
        return unverifiedTls.sum();
    }

    void sessionResumed() {
        tlsResumed.increment();
    }

    void resumptionRejected() {
        tlsResumptionRejected.increment();
    }

    /** Where the number of judged connections waiting in the connection cache comes from. */
    void cachedConnectionsFrom(java.util.function.IntSupplier source) {
        cachedConnections = source;
    }

    /** Judged connections waiting in the connection cache for their next message right now. */
    public int cachedConnections() {
        return cachedConnections.getAsInt();
    }

    /** What the start-up probe found about the resolver (see {@link DeliveryWorker#probeResolverDnssec}). */
    void resolverDnssec(DnssecSupport.State state) {
        resolverDnssec = state;
    }

    /** Whether the resolver passes DNSSEC data, as probed at start; empty before the probe ends or without a resolver. */
    public java.util.Optional<DnssecSupport.State> resolverDnssec() {
        return java.util.Optional.ofNullable(resolverDnssec);
    }

    void sessionReused() {
        sessionsReused.increment();
    }

    /** Messages sent over an SMTP connection that an earlier message had opened and the policy had judged. */
    public long sessionsReused() {
        return sessionsReused.sum();
    }

    /** TLS sessions resumed (and accepted after judging their chain again). */
    public long tlsResumed() {
        return tlsResumed.sum();
    }

    /** Resumed TLS sessions whose chain failed the judgement; each was replaced by a full handshake. */
    public long tlsResumptionsRejected() {
        return tlsResumptionRejected.sum();
    }

    void attempt(long micros) {
        attempts.increment();
        latency.observe(micros / 1e6);
    }

    /** Recipients delivered. */
    public long delivered() {
        return delivered.sum();
    }

    /** Delivery runs that ended with the message deferred. */
    public long deferred() {
        return deferred.sum();
    }

    /** Recipients given up on (permanent failure or retry period over). */
    public long bounced() {
        return bounced.sum();
    }

    public long dsnsSent() {
        return dsnsSent.sum();
    }

    /** Attempts at a hop. */
    public long attempts() {
        return attempts.sum();
    }

    /** Sessions refused by the policy, counted once per FAIL finding code. */
    public Map<String, Long> refusalsByFinding() {
        return snapshot(refusals);
    }

    /** TESTING mode: sessions delivered that the policy would have refused, per finding code. */
    public Map<String, Long> wouldRefuseByFinding() {
        return snapshot(wouldRefuse);
    }

    /**
     * The metrics as collectors of the Prometheus Java client, for the relay's registry (same names as ever; the
     * client adds {@code _total} to counters and writes values as decimals).
     */
    public List<io.prometheus.metrics.model.registry.Collector> collectors() {
        return collectors;
    }

    /** The delivery metrics alone in the Prometheus text exposition format (version 0.0.4), via the client library. */
    public String prometheusText() {
        PrometheusRegistry own = new PrometheusRegistry();
        collectors.forEach(own::register);
        return dev.doublelock.relay.delivery.PrometheusText.of(own);
    }

    private List<io.prometheus.metrics.model.registry.Collector> buildCollectors() {
        List<io.prometheus.metrics.model.registry.Collector> c = new java.util.ArrayList<>();
        c.add(counter("doublelock_delivered_recipients", "Recipients delivered.", delivered::sum));
        c.add(counter("doublelock_deferred", "Delivery runs that ended deferred.", deferred::sum));
        c.add(counter("doublelock_bounced_recipients", "Recipients bounced.", bounced::sum));
        c.add(counter("doublelock_dsn_sent", "Delivery status notifications enqueued.", dsnsSent::sum));
        c.add(counter("doublelock_delivery_attempts", "Attempts at a next-hop server.", attempts::sum));
        c.add(counter("doublelock_tls_resumed", "TLS sessions resumed and accepted.", tlsResumed::sum));
        c.add(counter("doublelock_tls_resumption_rejected",
                "Resumed TLS sessions that failed the judgement and were replaced by a full handshake.",
                tlsResumptionRejected::sum));
        c.add(counter("doublelock_connection_reuse",
                "Messages sent over an already open and judged SMTP connection (RSET between transactions).",
                sessionsReused::sum));
        c.add(counter("doublelock_plaintext_fallback",
                "Messages sent in plaintext to a server that offered STARTTLS: it refused STARTTLS or no TLS handshake "
                        + "could be completed with it (opportunistic and testing only).", plaintextFallbacks::sum));
        c.add(counter("doublelock_legacy_tls",
                "Messages sent with the legacy TLS engine (TLS 1.0/1.1 or static-RSA servers; opportunistic and "
                        + "testing only).", legacyTls::sum));
        c.add(counter("doublelock_unverified_tls",
                "Messages sent over TLS whose certificate did not verify (opportunistic and testing only).",
                unverifiedTls::sum));
        c.add(GaugeWithCallback.builder().name("doublelock_connections_cached")
                .help("Judged SMTP connections waiting in the connection cache for their next message.")
                .callback(cb -> cb.call(cachedConnections())).build());
        c.add(GaugeWithCallback.builder().name("doublelock_resolver_dnssec")
                .help("Whether the DNS resolver passes DNSSEC data (probed at start; 1 = the state found). withheld: "
                        + "DANE cannot be used, MTA-STS still can.").labelNames("state")
                .callback(cb -> {
                    DnssecSupport.State dnssec = resolverDnssec;
                    if (dnssec != null) {
                        for (DnssecSupport.State st : DnssecSupport.State.values()) {
                            cb.call(st == dnssec ? 1 : 0, stateLabel(st));
                        }
                    }
                }).build());
        c.add(labelled("doublelock_policy_refusals", "Sessions refused by the policy, by finding code.", refusals));
        c.add(labelled("doublelock_policy_would_refuse",
                "TESTING mode: sessions delivered that the policy would have refused, by finding code.", wouldRefuse));
        c.add(latency);
        return c;
    }

    private static CounterWithCallback counter(String name, String help, java.util.function.LongSupplier value) {
        return CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsLong())).build();
    }

    private static CounterWithCallback labelled(String name, String help, Map<String, LongAdder> values) {
        return CounterWithCallback.builder().name(name).help(help).labelNames("finding")
                .callback(cb -> snapshot(values).forEach((code, v) -> cb.call(v, code))).build();
    }

    private static String stateLabel(DnssecSupport.State s) {
        return switch (s) {
            case PASSES_DNSSEC -> "passes";
            case WITHHOLDS_DNSSEC -> "withheld";
            case UNKNOWN -> "unknown";
        };
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
