package dev.doublelock.policy.transport;

import java.util.List;
import java.util.Optional;

import dev.doublelock.finding.Finding;
import dev.doublelock.tls.TlsVersion;

/**
 * What a live client saw of a handshake besides the session itself, to explain a failed one by the most specific
 * evidence there is.
 *
 * @param alert          the TLS alert that ended a failed handshake (either side's), e.g. {@code protocol_version}
 * @param suitesOffered  how many cipher suites the client offered (only the policy's, when enforcing)
 * @param chainSeen      the server's Certificate message arrived
 * @param atChain        the verdict's findings when the chain arrived (the client aborted the handshake on them)
 * @param pkixFailure    why the TLS provider's own PKIX validation (with its algorithm constraints) rejected the
 *                       chain, if it did: evidence for UNKNOWN_ISSUER where the policy's own chain checks found nothing
 * @param legacyVersion  the version a second handshake with the same server negotiated when the client offered
 *                       only TLS 1.2 down to 1.0 with legacy suites (a diagnosis after a handshake_failure), if one
 *                       was tried and completed. It tells a server that lacks TLS 1.2 (GnuTLS answers an offer of
 *                       versions it lacks with handshake_failure, where OpenSSL answers protocol_version) from one
 *                       that lacks the suites
 */
public record HandshakeEvidence(Optional<String> alert, int suitesOffered, boolean chainSeen, List<Finding> atChain,
                                Optional<String> pkixFailure, Optional<TlsVersion> legacyVersion) {
    public static final HandshakeEvidence NONE = new HandshakeEvidence(Optional.empty(), 0, false, List.of(),
            Optional.empty());

    public HandshakeEvidence {
        atChain = List.copyOf(atChain);
    }

    public HandshakeEvidence(Optional<String> alert, int suitesOffered, boolean chainSeen, List<Finding> atChain,
                             Optional<String> pkixFailure) {
        this(alert, suitesOffered, chainSeen, atChain, pkixFailure, Optional.empty());
    }

    /** The same evidence with the version a diagnostic legacy handshake negotiated. */
    public HandshakeEvidence withLegacyVersion(TlsVersion version) {
        return new HandshakeEvidence(alert, suitesOffered, chainSeen, atChain, pkixFailure, Optional.of(version));
    }

    /**
     * True if this is a handshake_failure (or insufficient_security) before the server's Certificate: the server
     * found nothing acceptable in the ClientHello, a version or a suite; {@link #legacyVersion} tells which.
     */
    public boolean refusedClientHello() {
        String a = alert.orElse("");
        return (a.equals("handshake_failure") || a.equals("insufficient_security")) && !chainSeen;
    }

    public HandshakeEvidence(Optional<String> alert, int suitesOffered, boolean chainSeen, List<Finding> atChain) {
        this(alert, suitesOffered, chainSeen, atChain, Optional.empty());
    }
}
