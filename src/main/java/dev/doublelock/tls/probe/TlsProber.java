package dev.doublelock.tls.probe;

import dev.doublelock.tls.Exposure;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.Vulnerability;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.StartTlsOutcome.Status;
import dev.doublelock.tls.TlsVersion;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The checker's record-level TLS prober. It writes its own ClientHellos, so it can ask for SSL 3.0,
 * TLS 1.0/1.1, export, NULL, RC4 or 3DES suites without weakening the JVM, and reads the server's plaintext
 * answers. One connection per ClientHello; the probes of one target run on virtual threads, at most
 * {@link ProbeOptions#maxConnectionsPerHost()} connections per IP address at a time (shared by all targets
 * probed with this instance). Thread-safe.
 */
public final class TlsProber {
    private final ProbeOptions options;
    private final Connector connector;
    private final HostLimiter limiter;

    public TlsProber(ProbeOptions options) {
        this.options = options;
        this.connector = new Connector(options);
        this.limiter = new HostLimiter(options.maxConnectionsPerHost());
    }

    /**
     * Probes one endpoint. Never throws for anything the server does: an unreachable or misbehaving server
     * gives an observation with status UNREACHABLE, NOT_OFFERED, REFUSED or HANDSHAKE_FAILED and
     * "untested" entries saying what could not be learned.
     */
    /** How this prober probes (timeouts, versions, its EHLO name). */
    public ProbeOptions options() {
        return options;
    }

    public ServerObservation probe(ProbeTarget target) {
        Deadline deadline = Deadline.in(options.targetDeadline());
        HelloExchange exchange = new HelloExchange(target, connector, limiter, deadline);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            return new Run(target, exchange, pool, deadline).observe();
        } catch (RuntimeException e) {
            ObservationBuilder b = new ObservationBuilder(target);
            b.untested("everything: internal error in the prober (" + e + "); please report it");
            return b.build(new StartTlsOutcome(Status.HANDSHAKE_FAILED, "prober error: " + e));
        }
    }

    /** One target's probing: preflight, per-version enumeration, then groups, compression and chain. */
    private final class Run {
        private final ProbeTarget target;
        private final HelloExchange exchange;
        private final ExecutorService pool;
        private final Deadline deadline;
        private final ObservationBuilder out;

        Run(ProbeTarget target, HelloExchange exchange, ExecutorService pool, Deadline deadline) {
            this.target = target;
            this.exchange = exchange;
            this.pool = pool;
            this.deadline = deadline;
            this.out = new ObservationBuilder(target);
        }

        ServerObservation observe() {
            TlsVersion first = options.versions().contains(TlsVersion.TLS_1_2) ? TlsVersion.TLS_1_2 : TlsVersion.TLS_1_0;
            Attempt pre = exchange.send(ClientHello.of(first, Offers.chunks(Offers.suites(first)).getFirst(),
                    Offers.ecGroups(), target.sniName()));
            if (pre instanceof Attempt.NotReached n) {
                out.untested("everything: " + n.outcome().status() + (n.outcome().detail().isEmpty() ? "" : ": " + n.outcome().detail()));
                return out.build(n.outcome());
            }
            List<Future<?>> early = new ArrayList<>();
            if (options.vulnerabilityProbes()) {
                // off the critical path: the JDK's TLS classes for the two JSSE probes, and SSL 2.0, which needs nothing
                early.add(pool.submit(JsseWarmup::warm));
                probe(early, Vulnerability.SSLV2, () -> new Sslv2Probe(exchange).run(out::untested));
            }
            Map<TlsVersion, Future<SuiteEnumeration>> legacy = new EnumMap<>(TlsVersion.class);
            Future<Tls13Probe.Result> tls13 = null;
            for (TlsVersion v : options.versions()) {
                if (v == TlsVersion.TLS_1_3) {
                    tls13 = pool.submit(new Tls13Probe(exchange, options.enumerateSuites(), options.enumerateGroups())::run);
                } else {
                    legacy.put(v, pool.submit(() -> new SuiteEnumerator(exchange, options.enumerateSuites()).run(v)));
                }
            }
            List<SuiteEnumeration> found = new ArrayList<>();
            legacy.forEach((v, f) -> await(f, v.displayName()).ifPresent(found::add));
            Optional<Tls13Probe.Result> t13 = tls13 == null ? Optional.empty() : await(tls13, "TLS 1.3");
            found.forEach(out::versionResult);
            t13.ifPresent(r -> {
                out.versionResult(r.suites());
                out.groups(r.groups());
                r.untested().forEach(out::untested);
            });
            Optional<SuiteEnumeration> best = found.stream().filter(SuiteEnumeration::supported)
                    .max((a, b) -> a.version().compareTo(b.version()));
            boolean tls13Accepted = t13.map(r -> r.suites().supported()).orElse(false);
            List<SuiteEnumeration> all = new ArrayList<>(found);
            t13.map(Tls13Probe.Result::suites).ifPresent(all::add);
            boolean vulnerabilities = options.vulnerabilityProbes() && all.stream().anyMatch(SuiteEnumeration::supported);
            List<Future<?>> second = new ArrayList<>();
            best.ifPresent(b -> {
                out.extensions(b);
                if (options.enumerateGroups()) {
                    second.add(pool.submit(() -> groups12(b)));
                }
                second.add(pool.submit(() -> compression(b)));
            });
            boolean chainFromLegacy = best.isPresent() && out.certificateFrom(found);
            if (vulnerabilities) recordProbes(early, found, best, tls13Accepted);
            if (!chainFromLegacy && tls13Accepted) {
                second.add(pool.submit(() -> {
                    List<String> why = Collections.synchronizedList(new ArrayList<>());
                    ChainCapture.Captured captured = new ChainCapture(exchange).capture(why);
                    out.chain(captured.chain());
                    out.tls13Staple(captured.staple(), captured.stapleAsked(), captured.chain());
                    why.forEach(out::untested);
                }));
            }
            second.forEach(f -> await(f, "second phase"));
            if (vulnerabilities) jsseProbes(early, found, all);
            early.forEach(f -> await(f, "vulnerability probes"));
            return out.build(out.anyAccepted() ? StartTlsOutcome.established()
                    : new StartTlsOutcome(Status.HANDSHAKE_FAILED, out.refusalSummary()));
        }

        /**
         * The record-level vulnerability probes that need only the enumeration (versions, suites, the heartbeat echo, the
         * chain it saw):
         * they run beside the groups, compression and chain phase. Each only where its precondition was observed.
         */
        private void recordProbes(List<Future<?>> probes, List<SuiteEnumeration> found, Optional<SuiteEnumeration> best,
                                  boolean tls13) {
            List<TlsVersion> versions = new ArrayList<>(found.stream().filter(SuiteEnumeration::supported)
                    .map(SuiteEnumeration::version).toList());
            if (tls13) versions.add(TlsVersion.TLS_1_3);
            probe(probes, Vulnerability.NO_FALLBACK_SCSV, () -> FallbackScsvProbe.run(exchange, found, versions, out::untested));
            List<X509Certificate> legacyChain = out.chainSoFar(); // from the enumeration: static RSA is TLS ≤ 1.2
            probe(probes, Vulnerability.ROBOT, () -> RobotProbe.run(exchange, found, legacyChain, out::untested));
            if (best.isPresent()) {
                probe(probes, Vulnerability.HEARTBLEED, () -> HeartbleedProbe.run(exchange, best.get(),
                        out.heartbeat().orElse(false), out::untested));
                probe(probes, Vulnerability.CCS_INJECTION, () -> CcsInjectionProbe.run(exchange, best.get(), out::untested));
                probes.add(pool.submit(() -> {
                    ResumptionProbe.Result r = ResumptionProbe.run(exchange, best.get(), legacyChain,
                            out.sessionTickets().orElse(false), out::untested);
                    out.resumption(r.resumption());
                    if (r.ticketbleed() != null) out.exposure(Vulnerability.TICKETBLEED, r.ticketbleed());
                }));
            } else {
                out.exposure(Vulnerability.HEARTBLEED, Exposure.notApplicable("no TLS ≤ 1.2 version accepted (no heartbeat in TLS 1.3 here)"));
                out.exposure(Vulnerability.CCS_INJECTION, Exposure.notApplicable("no TLS ≤ 1.2 version accepted"));
                out.exposure(Vulnerability.TICKETBLEED, Exposure.notApplicable("no TLS ≤ 1.2 version accepted (TLS 1.3 tickets "
                        + "carry no session ID)"));
            }
        }

        /** The two probes that complete a handshake through JSSE: they need the chain (to pin) and the groups (to pick suites). */
        private void jsseProbes(List<Future<?>> probes, List<SuiteEnumeration> found, List<SuiteEnumeration> all) {
            List<X509Certificate> chain = out.chainSoFar();
            Set<String> groups = out.groupsSoFar();
            probe(probes, Vulnerability.CLIENT_RENEGOTIATION, () -> ClientRenegotiationProbe.run(exchange, found, chain,
                    groups, out::untested));
            HelloExchange plain = new HelloExchange(new ProbeTarget(target.address(), Transport.PLAIN_TLS,
                    target.referenceName(), target.ehloName()), connector, limiter, deadline);
            probe(probes, Vulnerability.STARTTLS_INJECTION, () -> StartTlsInjectionProbe.run(plain, target.transport(), chain,
                    all, groups, out::untested));
        }

        private void probe(List<Future<?>> probes, Vulnerability v, java.util.function.Supplier<Exposure> p) {
            probes.add(pool.submit(() -> {
                Exposure e = p.get();
                if (e != null) out.exposure(v, e);
            }));
        }

        private void groups12(SuiteEnumeration best) {
            Tls12Groups.Result r = new Tls12Groups(exchange).run(best);
            out.groups(r.groups());
            r.minDhBits().ifPresent(out::dhBits);
            r.untested().forEach(out::untested);
        }

        private void compression(SuiteEnumeration best) {
            List<Integer> suites = best.accepted().size() > Offers.CHUNK ? best.accepted().subList(0, Offers.CHUNK) : best.accepted();
            ServerReply r = exchange.reply(ClientHello.of(best.version(), suites, Offers.ecGroups(), target.sniName())
                    .withCompression());
            if (r instanceof ServerReply.Answered a && a.hello().version() == best.version().wire()) {
                out.compression(a.hello().compression() != 0);
            } else {
                out.untested("compression: " + (r instanceof ServerReply.Failed f ? f.reason() : "hello with DEFLATE offered was refused"));
            }
        }

        private <T> Optional<T> await(Future<T> f, String what) {
            try {
                return Optional.ofNullable(f.get(deadline.remainingMillis() + 1000, TimeUnit.MILLISECONDS));
            } catch (TimeoutException e) {
                f.cancel(true);
                out.untested(what + ": target deadline of " + options.targetDeadline().toSeconds() + " s passed");
            } catch (ExecutionException e) {
                out.untested(what + ": internal error in the prober (" + e.getCause() + "); please report it");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.untested(what + ": interrupted");
            }
            return Optional.empty();
        }
    }
}
