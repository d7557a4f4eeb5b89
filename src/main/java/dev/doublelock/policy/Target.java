package dev.doublelock.policy;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.doublelock.tls.CertificateMessage;
import dev.doublelock.tls.Exposure;
import dev.doublelock.tls.OcspStaple;
import dev.doublelock.tls.Vulnerability;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.SessionObservation;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.TlsVersion;

/**
 * One server as the checks see it, whether it came from a full probe (configuration mode: everything it
 * accepts) or from one live session (session mode: what was negotiated). Checks judge this, never the raw
 * observation records, so the checker and the relay get the same verdicts.
 */
record Target(Mode mode, String endpoint, String referenceName, StartTlsOutcome startTls,
              SortedMap<TlsVersion, List<String>> suites, Set<String> groups, Optional<Integer> minDhBits,
              List<X509Certificate> chain, Optional<Boolean> secureRenegotiation, List<String> untested,
              CertificateMessage certificate, Optional<Boolean> compression, Optional<Boolean> heartbeat,
              Map<Vulnerability, Exposure> vulnerabilities, Optional<OcspStaple> ocspStaple) {

    enum Mode { CONFIGURATION, SESSION }

    static Target of(ServerObservation o) {
        return new Target(Mode.CONFIGURATION, o.endpoint(), o.referenceName(), o.startTls(), o.acceptedSuites(),
                o.acceptedGroups(), o.minDhBits(), o.chain(), o.secureRenegotiation(), o.untested(),
                o.certificateMessage(), o.compression(), o.heartbeat(), o.vulnerabilities(), o.ocspStaple());
    }

    static Target of(SessionObservation s) {
        SortedMap<TlsVersion, List<String>> suites = new TreeMap<>();
        s.protocol().ifPresent(p -> suites.put(p, s.cipherSuite().map(List::of).orElse(List.of())));
        return new Target(Mode.SESSION, s.endpoint(), s.referenceName(), s.startTls(), suites,
                s.group().map(Set::of).orElse(Set.of()), s.dhBits(), s.chain(), Optional.empty(), List.of(),
                sessionCertificate(s), Optional.empty(), Optional.empty(), Map.of(), Optional.empty());
    }

    /** A live session either has the peer's chain or authenticated the server with none (an anonymous suite). */
    private static CertificateMessage sessionCertificate(SessionObservation s) {
        if (s.startTls() == null || !s.startTls().isEstablished()) {
            return CertificateMessage.notObserved("no TLS session");
        }
        return s.chain().isEmpty() ? new CertificateMessage(CertificateMessage.Kind.ABSENT,
                "the session" + s.cipherSuite().map(c -> " (" + c + ")").orElse("") + " has no peer certificate")
                : CertificateMessage.present();
    }

    boolean tlsEstablished() {
        return startTls != null && startTls.isEstablished();
    }

    Set<TlsVersion> versions() {
        return suites.keySet();
    }

    Map<TlsVersion, List<String>> suitesByVersion() {
        return suites;
    }
}
