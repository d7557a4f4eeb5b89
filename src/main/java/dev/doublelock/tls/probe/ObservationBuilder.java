package dev.doublelock.tls.probe;

import dev.doublelock.tls.CertificateMessage;
import dev.doublelock.tls.CipherSuite;
import dev.doublelock.tls.CipherSuites;
import dev.doublelock.tls.NamedGroups;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.TlsVersion;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Collects the probes' facts for one target (from several threads) into a {@link ServerObservation}. */
final class ObservationBuilder {
    private final ProbeTarget target;
    private final TreeMap<TlsVersion, List<String>> suites = new TreeMap<>();
    private final Map<TlsVersion, Boolean> serverOrder = new EnumMap<>(TlsVersion.class);
    private final Set<String> groups = new LinkedHashSet<>();
    private final List<String> untested = new ArrayList<>();
    private final Set<TlsVersion> tested = new LinkedHashSet<>();
    private Optional<Integer> minDhBits = Optional.empty();
    private List<X509Certificate> chain = List.of();
    private boolean anonymousOnly;
    private CertificateMessage certificate = CertificateMessage.notObserved("no handshake reached the Certificate message");
    private Optional<Boolean> secureRenegotiation = Optional.empty();
    private Optional<Boolean> extendedMasterSecret = Optional.empty();
    private Optional<Boolean> encryptThenMac = Optional.empty();
    private Optional<Boolean> compression = Optional.empty();
    private Optional<Boolean> heartbeat = Optional.empty();
    private Optional<Boolean> sessionTickets = Optional.empty();
    private Optional<Boolean> ocspStapling = Optional.empty();
    private Optional<dev.doublelock.tls.OcspStaple> ocspStaple = Optional.empty();
    private dev.doublelock.tls.SessionResumption resumption = dev.doublelock.tls.SessionResumption.NOT_OBSERVED;
    private final Map<dev.doublelock.tls.Vulnerability, dev.doublelock.tls.Exposure> vulnerabilities =
            new EnumMap<>(dev.doublelock.tls.Vulnerability.class);

    ObservationBuilder(ProbeTarget target) {
        this.target = target;
    }

    synchronized void untested(String what) {
        untested.add(what);
    }

    synchronized void versionResult(SuiteEnumeration e) {
        tested.add(e.version());
        untested.addAll(e.untested());
        if (e.supported()) {
            suites.put(e.version(), e.accepted().stream().map(CipherSuites::nameOf).toList());
        }
        e.serverOrder().ifPresent(o -> serverOrder.put(e.version(), o));
        e.answers().forEach(a -> a.keyExchange().flatMap(k -> k.dhPrimeBits().isPresent()
                ? Optional.of(k.dhPrimeBits().getAsInt()) : Optional.empty()).ifPresent(this::dhBits));
        // groups the suite enumeration already saw count even if a later group enumeration cannot finish
        e.answers().forEach(a -> a.keyExchange().ifPresent(k -> {
            k.namedCurve().ifPresent(c -> groups.add(NamedGroups.nameOf(c)));
            if (k.dhPrimeBits().isPresent()) {
                FfdhePrimes.identify(new java.math.BigInteger(1, k.dhPrime())).ifPresent(g -> groups.add(NamedGroups.nameOf(g)));
            }
        }));
    }

    synchronized void groups(List<String> names) {
        groups.addAll(names);
    }

    synchronized void dhBits(int bits) {
        minDhBits = Optional.of(minDhBits.map(m -> Math.min(m, bits)).orElse(bits));
    }

    synchronized void compression(boolean accepted) {
        compression = Optional.of(accepted);
    }

    /**
     * What a TLS 1.3 handshake showed of OCSP stapling, where the plaintext flights of TLS ≤ 1.2 said nothing (a
     * server that speaks only TLS 1.3, or whose TLS ≤ 1.2 flights did not settle it): the staple, read against
     * that handshake's chain, and whether the server stapled at all when it was asked to.
     */
    synchronized void tls13Staple(Optional<byte[]> staple, boolean asked, List<X509Certificate> captured) {
        if (ocspStaple.isEmpty() && staple.isPresent() && !captured.isEmpty()) {
            ocspStaple = Optional.of(dev.doublelock.tls.OcspStaple.read(staple.get(), captured));
        }
        if (ocspStapling.isEmpty() && (asked || staple.isPresent())) ocspStapling = Optional.of(staple.isPresent());
    }

    /** A chain captured outside the plaintext flights (TLS 1.3, through JSSE). */
    synchronized void chain(List<X509Certificate> c) {
        if (chain.isEmpty()) chain = List.copyOf(c);
        if (!c.isEmpty() && (certificate.kind() == CertificateMessage.Kind.NOT_OBSERVED || anonymousOnly)) {
            certificate = CertificateMessage.present();
            anonymousOnly = false;
        }
    }

    /**
     * Takes the chain from the highest TLS ≤ 1.2 version that sent one, and what the Certificate messages of the
     * certificate-authenticated suites showed (RFC 5246 §7.4.2: such a server MUST send one). A flight that went
     * to ServerHelloDone without a Certificate message, or sent an empty certificate_list, wins over one that had
     * a chain: a client negotiating that suite gets no certificate. A server that accepts only anonymous suites
     * never sends one at TLS ≤ 1.2. Returns false if no certificate-authenticated flight settled it (the flights
     * ended before the Certificate message, only anonymous suites, or no TLS ≤ 1.2 version was accepted), so the
     * caller may look at TLS 1.3.
     */
    synchronized boolean certificateFrom(List<SuiteEnumeration> found) {
        List<SuiteEnumeration> byVersion = found.stream()
                .sorted(Comparator.comparing(SuiteEnumeration::version).reversed()).toList();
        List<Answer> authenticated = new ArrayList<>();
        List<Answer> anonymous = new ArrayList<>();
        for (SuiteEnumeration e : byVersion) {
            for (ServerReply.Answered a : e.answers()) {
                Optional<CipherSuite> suite = CipherSuites.byCode(a.hello().cipherSuite());
                if (suite.map(ObservationBuilder::certificateAuthenticated).orElse(false)) {
                    authenticated.add(new Answer(e.version(), suite.get(), a));
                } else if (suite.map(CipherSuite::anonymous).orElse(false)) {
                    anonymous.add(new Answer(e.version(), suite.get(), a));
                }
            }
        }
        authenticated.stream().map(x -> x.answer().chain()).filter(l -> !l.isEmpty()).findFirst()
                .ifPresent(c -> chain = List.copyOf(c));
        Optional<Answer> missing = authenticated.stream().filter(x -> x.answer().certificate() == CertificateMessage.Kind.ABSENT
                || x.answer().certificate() == CertificateMessage.Kind.EMPTY_LIST).findFirst();
        if (missing.isPresent()) {
            Answer m = missing.get();
            certificate = new CertificateMessage(m.answer().certificate(), m.version().displayName() + ", " + m.suite().name() + ": "
                    + (m.answer().certificate() == CertificateMessage.Kind.ABSENT
                    ? "ServerHelloDone without a Certificate message" : "Certificate message with an empty certificate_list"));
        } else if (!chain.isEmpty()) {
            certificate = CertificateMessage.present();
        } else if (authenticated.isEmpty() && !anonymous.isEmpty()) {
            certificate = new CertificateMessage(CertificateMessage.Kind.ABSENT, "only anonymous suites accepted ("
                    + anonymous.stream().map(x -> x.suite().name()).distinct().limit(3).collect(Collectors.joining(", "))
                    + (anonymous.stream().map(Answer::suite).distinct().count() > 3 ? ", …" : "")
                    + "): no certificate is sent at TLS ≤ 1.2");
            anonymousOnly = true;
        } else if (!authenticated.isEmpty()) {
            certificate = CertificateMessage.notObserved("the server's TLS ≤ 1.2 flights ended before its Certificate message");
        }
        return certificate.kind() != CertificateMessage.Kind.NOT_OBSERVED && !anonymousOnly;
    }

    private record Answer(TlsVersion version, CipherSuite suite, ServerReply.Answered answer) {
    }

    /** Suites whose server proves its identity with a certificate (RFC 5246 §7.4.2, RFC 8422 §5.3). */
    static boolean certificateAuthenticated(CipherSuite s) {
        return switch (s.authentication()) {
            case RSA, DSS, ECDSA, GOST -> true;
            default -> false;
        };
    }

    /** RFC 5746 / 7627 / 7366 / 6520 echoes, read from the answers at the best TLS ≤ 1.2 version. */
    synchronized void extensions(SuiteEnumeration best) {
        if (best.answers().isEmpty()) return;
        ServerHello first = best.answers().getFirst().hello();
        secureRenegotiation = Optional.of(first.secureRenegotiation());
        if (best.version() != TlsVersion.SSL_3_0) {
            extendedMasterSecret = Optional.of(first.has(ClientHelloWriter.EXT_EXTENDED_MASTER_SECRET));
            heartbeat = Optional.of(best.answers().stream().anyMatch(a -> a.hello().has(ClientHelloWriter.EXT_HEARTBEAT)));
            sessionTickets = Optional.of(best.answers().stream().anyMatch(a -> a.hello().has(ClientHelloWriter.EXT_SESSION_TICKET)));
            ocspStapling = Optional.of(best.answers().stream().anyMatch(a -> a.hello().has(ClientHelloWriter.EXT_STATUS_REQUEST)));
            // the staple is about the chain of the same flight
            best.answers().stream().filter(a -> a.ocspStaple().isPresent()).findFirst()
                    .ifPresent(a -> ocspStaple = Optional.of(dev.doublelock.tls.OcspStaple.read(a.ocspStaple().get(), a.chain())));
            best.answers().stream()
                    .filter(a -> CipherSuites.byCode(a.hello().cipherSuite()).map(CipherSuite::cbc).orElse(false))
                    .findFirst()
                    .ifPresent(a -> encryptThenMac = Optional.of(a.hello().has(ClientHelloWriter.EXT_ENCRYPT_THEN_MAC)));
        }
    }

    /** What one vulnerability probe found; a probe that could not finish calls {@link #untested} instead. */
    synchronized void exposure(dev.doublelock.tls.Vulnerability v, dev.doublelock.tls.Exposure e) {
        vulnerabilities.put(v, e);
    }

    synchronized void resumption(dev.doublelock.tls.SessionResumption r) {
        resumption = r;
    }

    synchronized Optional<Boolean> sessionTickets() {
        return sessionTickets;
    }

    synchronized Optional<Boolean> heartbeat() {
        return heartbeat;
    }

    synchronized Set<String> groupsSoFar() {
        return Set.copyOf(groups);
    }

    synchronized List<X509Certificate> chainSoFar() {
        return chain;
    }

    synchronized boolean anyAccepted() {
        return !suites.isEmpty();
    }

    synchronized String refusalSummary() {
        return "no protocol version accepted" + (tested.isEmpty() ? "" : " (asked for "
                + String.join(", ", tested.stream().sorted().map(TlsVersion::displayName).toList()) + ")");
    }

    /**
     * The observation. If TLS was established but no Certificate message was observed, {@code untested} says so
     * (unless a more precise reason is already there): an empty chain must never pass as "nothing to check".
     */
    synchronized ServerObservation build(StartTlsOutcome outcome) {
        if (outcome.isEstablished() && certificate.kind() == CertificateMessage.Kind.NOT_OBSERVED
                && untested.stream().noneMatch(u -> u.startsWith("certificate chain"))) {
            untested.add("certificate chain: not observed (" + certificate.detail() + ")");
        }
        return new ServerObservation(target.referenceName(), target.endpoint(), outcome, suites, serverOrder, groups,
                minDhBits, chain, certificate, secureRenegotiation, extendedMasterSecret, encryptThenMac, compression, heartbeat,
                untested, sessionTickets, ocspStapling, vulnerabilities, ocspStaple, resumption);
    }
}
