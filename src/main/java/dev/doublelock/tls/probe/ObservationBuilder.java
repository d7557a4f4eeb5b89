package dev.doublelock.tls.probe;

import dev.doublelock.tls.CipherSuite;
import dev.doublelock.tls.CipherSuites;
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
    private Optional<Boolean> secureRenegotiation = Optional.empty();
    private Optional<Boolean> extendedMasterSecret = Optional.empty();
    private Optional<Boolean> encryptThenMac = Optional.empty();
    private Optional<Boolean> compression = Optional.empty();
    private Optional<Boolean> heartbeat = Optional.empty();

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

    synchronized void chain(List<X509Certificate> c) {
        if (chain.isEmpty()) chain = List.copyOf(c);
    }

    /** Takes the chain from the highest TLS ≤ 1.2 version that sent one; false if none did. */
    synchronized boolean chainFrom(List<SuiteEnumeration> found) {
        Optional<List<X509Certificate>> c = found.stream()
                .sorted(Comparator.comparing(SuiteEnumeration::version).reversed())
                .flatMap(e -> e.answers().stream()).map(ServerReply.Answered::chain)
                .filter(l -> !l.isEmpty()).findFirst();
        c.ifPresent(this::chain);
        return c.isPresent();
    }

    /** RFC 5746 / 7627 / 7366 / 6520 echoes, read from the answers at the best TLS ≤ 1.2 version. */
    synchronized void extensions(SuiteEnumeration best) {
        if (best.answers().isEmpty()) return;
        ServerHello first = best.answers().getFirst().hello();
        secureRenegotiation = Optional.of(first.secureRenegotiation());
        if (best.version() != TlsVersion.SSL_3_0) {
            extendedMasterSecret = Optional.of(first.has(ClientHelloWriter.EXT_EXTENDED_MASTER_SECRET));
            heartbeat = Optional.of(best.answers().stream().anyMatch(a -> a.hello().has(ClientHelloWriter.EXT_HEARTBEAT)));
            best.answers().stream()
                    .filter(a -> CipherSuites.byCode(a.hello().cipherSuite()).map(CipherSuite::cbc).orElse(false))
                    .findFirst()
                    .ifPresent(a -> encryptThenMac = Optional.of(a.hello().has(ClientHelloWriter.EXT_ENCRYPT_THEN_MAC)));
        }
    }

    synchronized boolean anyAccepted() {
        return !suites.isEmpty();
    }

    synchronized String refusalSummary() {
        return "no protocol version accepted" + (tested.isEmpty() ? "" : " (asked for "
                + String.join(", ", tested.stream().sorted().map(TlsVersion::displayName).toList()) + ")");
    }

    synchronized ServerObservation build(StartTlsOutcome outcome) {
        return new ServerObservation(target.referenceName(), target.endpoint(), outcome, suites, serverOrder, groups,
                minDhBits, chain, secureRenegotiation, extendedMasterSecret, encryptThenMac, compression, heartbeat,
                untested);
    }
}
