package dev.doublelock.tls;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * Facts about what one TLS server (one address:port) accepts, as a prober saw them. No judgement:
 * the policy engine reads this. Used by the checker ("configuration mode").
 *
 * @param referenceName    the name the certificate should match (MX host name or --name)
 * @param endpoint         "address:port" probed
 * @param startTls         what STARTTLS did
 * @param acceptedSuites   per accepted protocol version, the IANA names of every cipher suite the server
 *                         accepted, in the server's preference order if it enforces one. A version absent
 *                         from the map was refused (or not tested; see {@code untested})
 * @param serverOrderEnforced per version: true if the server picks by its own order
 * @param acceptedGroups   IANA names of the key-exchange groups the server accepted ("secp256r1", "x25519",
 *                         "ffdhe3072", "X25519MLKEM768")
 * @param minDhBits        smallest finite-field DHE group size seen (TLS 1.2 DHE suites), if any
 * @param chain            the certificate chain as the server sent it, leaf first (may be empty)
 * @param certificateMessage what the server's Certificate message showed: present, empty, absent (the server
 *                         authenticates with no certificate) or not observed (see {@code untested}); an empty
 *                         {@code chain} alone does not tell these apart
 * @param secureRenegotiation RFC 5746 renegotiation_info seen on TLS ≤ 1.2; empty if not observed
 * @param extendedMasterSecret RFC 7627 on TLS 1.2; empty if not observed
 * @param encryptThenMac   RFC 7366 on a CBC suite; empty if not observed
 * @param compression      TLS compression accepted; empty if not observed
 * @param heartbeat        RFC 6520 heartbeat extension echoed; empty if not observed
 * @param untested         what could not be determined, in words (makes a report incomplete)
 * @param sessionTickets   RFC 5077 session_ticket echoed at the best TLS ≤ 1.2 version; empty if not observed
 * @param ocspStapling     status_request (RFC 6066 §8) echoed at the best TLS ≤ 1.2 version; empty if not observed
 * @param vulnerabilities  what each vulnerability probe found; a probe that could not finish is absent (and in
 *                         {@code untested})
 * @param ocspStaple       the OCSP response the server stapled (CertificateStatus, TLS ≤ 1.2 flights) as read; empty
 *                         if none was seen
 * @param resumption       whether the server resumes TLS ≤ 1.2 sessions by ID and by ticket
 */
public record ServerObservation(
        String referenceName,
        String endpoint,
        StartTlsOutcome startTls,
        SortedMap<TlsVersion, List<String>> acceptedSuites,
        Map<TlsVersion, Boolean> serverOrderEnforced,
        Set<String> acceptedGroups,
        Optional<Integer> minDhBits,
        List<X509Certificate> chain,
        CertificateMessage certificateMessage,
        Optional<Boolean> secureRenegotiation,
        Optional<Boolean> extendedMasterSecret,
        Optional<Boolean> encryptThenMac,
        Optional<Boolean> compression,
        Optional<Boolean> heartbeat,
        List<String> untested,
        Optional<Boolean> sessionTickets,
        Optional<Boolean> ocspStapling,
        Map<Vulnerability, Exposure> vulnerabilities,
        Optional<OcspStaple> ocspStaple,
        SessionResumption resumption) {

    public ServerObservation {
        acceptedSuites = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(acceptedSuites));
        serverOrderEnforced = Map.copyOf(serverOrderEnforced);
        acceptedGroups = Set.copyOf(acceptedGroups);
        chain = List.copyOf(chain);
        java.util.Objects.requireNonNull(certificateMessage, "certificateMessage");
        untested = List.copyOf(untested);
        java.util.Objects.requireNonNull(sessionTickets, "sessionTickets");
        java.util.Objects.requireNonNull(ocspStapling, "ocspStapling");
        java.util.Objects.requireNonNull(ocspStaple, "ocspStaple");
        java.util.Objects.requireNonNull(resumption, "resumption");
        vulnerabilities = java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(
                vulnerabilities.isEmpty() ? new java.util.EnumMap<Vulnerability, Exposure>(Vulnerability.class) : vulnerabilities));
    }

    /** Without the later facts (session tickets, OCSP stapling and staple, vulnerabilities, resumption): not observed. */
    public ServerObservation(String referenceName, String endpoint, StartTlsOutcome startTls,
                             SortedMap<TlsVersion, List<String>> acceptedSuites, Map<TlsVersion, Boolean> serverOrderEnforced,
                             Set<String> acceptedGroups, Optional<Integer> minDhBits, List<X509Certificate> chain,
                             CertificateMessage certificateMessage, Optional<Boolean> secureRenegotiation,
                             Optional<Boolean> extendedMasterSecret, Optional<Boolean> encryptThenMac,
                             Optional<Boolean> compression, Optional<Boolean> heartbeat, List<String> untested) {
        this(referenceName, endpoint, startTls, acceptedSuites, serverOrderEnforced, acceptedGroups, minDhBits, chain,
                certificateMessage, secureRenegotiation, extendedMasterSecret, encryptThenMac, compression, heartbeat,
                untested, Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), SessionResumption.NOT_OBSERVED);
    }

    /**
     * The same facts judged against another name: a batch probes an MX address once and holds every MX name that
     * shares it to these facts (the certificate is the one the server sent for the first name's SNI).
     */
    public ServerObservation withReferenceName(String name) {
        return new ServerObservation(name, endpoint, startTls, acceptedSuites, serverOrderEnforced, acceptedGroups, minDhBits,
                chain, certificateMessage, secureRenegotiation, extendedMasterSecret, encryptThenMac, compression, heartbeat,
                untested, sessionTickets, ocspStapling, vulnerabilities, ocspStaple, resumption);
    }

    public Set<TlsVersion> acceptedVersions() {
        return acceptedSuites.keySet();
    }
}
