package dev.doublelock.tls;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * How one TLS handshake ended, as the side that ran it saw it. The lab records this for every STARTTLS
 * a sender attempts: either the negotiated parameters, or the alert that ended the handshake and
 * whether the peer sent it.
 */
public sealed interface TlsHandshakeResult {

    /**
     * The handshake completed.
     *
     * @param protocol    negotiated version
     * @param cipherSuite negotiated suite (IANA/JSSE name)
     * @param sni         the server name the client asked for, if any
     * @param peerChain   the peer's certificates, leaf first; empty if the peer sent none
     */
    record Established(TlsVersion protocol, String cipherSuite, Optional<String> sni,
                       List<X509Certificate> peerChain) implements TlsHandshakeResult {
        public Established {
            peerChain = List.copyOf(peerChain);
        }
    }

    /**
     * The handshake did not complete.
     *
     * @param alert         TLS alert name as in RFC 8446 6 ("bad_certificate", "unknown_ca",
     *                      "certificate_unknown", "certificate_expired", "protocol_version",
     *                      "handshake_failure", ...), or "closed" (peer closed/reset), "timeout", "unknown"
     * @param alertFromPeer true if the peer sent the alert; false if this side raised it or there was none
     * @param message       the underlying error text, for evidence
     */
    /**
     * @param sni the server name the client asked for in its ClientHello, if the handshake got that far (a server
     *            sees it even when the handshake then fails)
     */
    record Failed(String alert, boolean alertFromPeer, String message, java.util.Optional<String> sni)
            implements TlsHandshakeResult {
        public static final String CLOSED = "closed";
        public static final String TIMEOUT = "timeout";
        public static final String UNKNOWN = "unknown";

        public Failed {
            java.util.Objects.requireNonNull(sni, "sni");
        }

        public Failed(String alert, boolean alertFromPeer, String message) {
            this(alert, alertFromPeer, message, java.util.Optional.empty());
        }

        /** The same failure with the server name the client asked for. */
        public Failed withSni(java.util.Optional<String> name) {
            return new Failed(alert, alertFromPeer, message, name);
        }
    }
}
