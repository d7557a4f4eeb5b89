package dev.doublelock.relay.delivery;

import dev.doublelock.dns.DnssecSupport;

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
    private final LongAdder[] latencyBuckets = new LongAdder[BUCKETS.length];
    private final LongAdder latencyCount = new LongAdder();
    private final LongAdder latencyMicros = new LongAdder();
    private volatile java.util.function.IntSupplier cachedConnections = () -> 0;
    private volatile DnssecSupport.State resolverDnssec;

    DeliveryMetrics() {
        for (int i = 0; i < latencyBuckets.length; i++) {
            latencyBuckets[i] = new LongAdder();
        }
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
        latencyCount.increment();
        latencyMicros.add(micros);
        double seconds = micros / 1e6;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                latencyBuckets[i].increment();
            }
        }
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

    /** The counters in the Prometheus text exposition format (version 0.0.4). */
    public String prometheusText() {
        StringBuilder sb = new StringBuilder();
        counter(sb, "doublelock_delivered_recipients_total", "Recipients delivered.", delivered.sum());
        counter(sb, "doublelock_deferred_total", "Delivery runs that ended deferred.", deferred.sum());
        counter(sb, "doublelock_bounced_recipients_total", "Recipients bounced.", bounced.sum());
        counter(sb, "doublelock_dsn_sent_total", "Delivery status notifications enqueued.", dsnsSent.sum());
        counter(sb, "doublelock_delivery_attempts_total", "Attempts at a next-hop server.", attempts.sum());
        counter(sb, "doublelock_tls_resumed_total", "TLS sessions resumed and accepted.", tlsResumed.sum());
        counter(sb, "doublelock_tls_resumption_rejected_total",
                "Resumed TLS sessions that failed the judgement and were replaced by a full handshake.",
                tlsResumptionRejected.sum());
        counter(sb, "doublelock_connection_reuse_total",
                "Messages sent over an already open and judged SMTP connection (RSET between transactions).",
                sessionsReused.sum());
        counter(sb, "doublelock_plaintext_fallback_total",
                "Messages sent in plaintext to a server that offered STARTTLS: it refused STARTTLS or no TLS handshake "
                        + "could be completed with it (opportunistic and testing only).", plaintextFallbacks.sum());
        counter(sb, "doublelock_legacy_tls_total",
                "Messages sent with the legacy TLS engine (TLS 1.0/1.1 or static-RSA servers; opportunistic and "
                        + "testing only).", legacyTls.sum());
        counter(sb, "doublelock_unverified_tls_total",
                "Messages sent over TLS whose certificate did not verify (opportunistic and testing only).",
                unverifiedTls.sum());
        sb.append("# HELP doublelock_connections_cached Judged SMTP connections waiting in the connection cache for "
                + "their next message.\n# TYPE doublelock_connections_cached gauge\ndoublelock_connections_cached ")
                .append(cachedConnections()).append('\n');
        DnssecSupport.State dnssec = resolverDnssec;
        if (dnssec != null) {
            sb.append("# HELP doublelock_resolver_dnssec Whether the DNS resolver passes DNSSEC data (probed at start; "
                    + "1 = the state found). withheld: DANE cannot be used, MTA-STS still can.\n")
                    .append("# TYPE doublelock_resolver_dnssec gauge\n");
            for (DnssecSupport.State s : DnssecSupport.State.values()) {
                sb.append("doublelock_resolver_dnssec{state=\"").append(stateLabel(s)).append("\"} ")
                        .append(s == dnssec ? 1 : 0).append('\n');
            }
        }
        labelled(sb, "doublelock_policy_refusals_total", "Sessions refused by the policy, by finding code.", refusals);
        labelled(sb, "doublelock_policy_would_refuse_total",
                "TESTING mode: sessions delivered that the policy would have refused, by finding code.", wouldRefuse);
        sb.append("# HELP doublelock_delivery_attempt_seconds Duration of one attempt at a next-hop server.\n");
        sb.append("# TYPE doublelock_delivery_attempt_seconds histogram\n");
        for (int i = 0; i < BUCKETS.length; i++) {
            sb.append("doublelock_delivery_attempt_seconds_bucket{le=\"").append(BUCKETS[i]).append("\"} ")
                    .append(latencyBuckets[i].sum()).append('\n');
        }
        sb.append("doublelock_delivery_attempt_seconds_bucket{le=\"+Inf\"} ").append(latencyCount.sum()).append('\n');
        sb.append("doublelock_delivery_attempt_seconds_sum ").append(latencyMicros.sum() / 1e6).append('\n');
        sb.append("doublelock_delivery_attempt_seconds_count ").append(latencyCount.sum()).append('\n');
        return sb.toString();
    }

    private static String stateLabel(DnssecSupport.State s) {
        return switch (s) {
            case PASSES_DNSSEC -> "passes";
            case WITHHOLDS_DNSSEC -> "withheld";
            case UNKNOWN -> "unknown";
        };
    }

    private static void counter(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n");
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static void labelled(StringBuilder sb, String name, String help, Map<String, LongAdder> values) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n");
        snapshot(values).forEach((code, v) -> sb.append(name).append("{finding=\"").append(code).append("\"} ")
                .append(v).append('\n'));
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
