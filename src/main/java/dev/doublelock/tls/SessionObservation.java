package dev.doublelock.tls;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Facts about one live TLS session (what the relay is about to send over), as the client saw them
 * after the handshake and before MAIL FROM. Used in "session mode" by the policy engine.
 *
 * @param referenceName the name the certificate should match (MX host)
 * @param endpoint      "address:port"
 * @param startTls      what STARTTLS did; if not ESTABLISHED, the other fields are empty
 * @param protocol      negotiated protocol
 * @param cipherSuite   negotiated suite, IANA name
 * @param group         negotiated key-exchange group (IANA name), as the server's key share showed it
 *                      ({@link EphemeralKeyRecorder}); empty for a custom DHE group or when not seen
 * @param dhBits        size of the server's finite-field DH prime (DHE suites, TLS 1.3 ffdhe), if seen
 * @param chain         peer chain, leaf first
 * @param sni           the SNI the client sent
 */
public record SessionObservation(String referenceName, String endpoint, StartTlsOutcome startTls,
                                 Optional<TlsVersion> protocol, Optional<String> cipherSuite,
                                 Optional<String> group, Optional<Integer> dhBits, List<X509Certificate> chain, Optional<String> sni) {
    public SessionObservation {
        chain = List.copyOf(chain);
    }
}
