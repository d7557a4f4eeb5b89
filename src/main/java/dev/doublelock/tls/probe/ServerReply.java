package dev.doublelock.tls.probe;

import dev.doublelock.tls.CertificateMessage;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** What a server did with one probe ClientHello. */
sealed interface ServerReply {
    /**
     * The server chose parameters. For TLS ≤ 1.2 the certificate chain and key exchange follow if it sent them
     * before the connection ended. {@code certificate} says what was seen of the Certificate message: PRESENT or
     * EMPTY_LIST if one came, ABSENT if ServerHelloDone came without one, NOT_OBSERVED if the flight ended
     * before ServerHelloDone (or the message is encrypted: TLS 1.3, HelloRetryRequest). {@code ocspStaple} is the
     * DER OCSPResponse of a CertificateStatus message (RFC 6066 §8), if the flight had one; {@code abbreviated}: a
     * ChangeCipherSpec came right after the ServerHello (TLS ≤ 1.2), the server resumed a session.
     */
    record Answered(ServerHello hello, List<X509Certificate> chain, Optional<ServerKeyExchange> keyExchange,
                    CertificateMessage.Kind certificate, Optional<byte[]> ocspStaple, boolean abbreviated) implements ServerReply {
        public Answered {
            chain = List.copyOf(chain);
            java.util.Objects.requireNonNull(certificate, "certificate");
            java.util.Objects.requireNonNull(ocspStaple, "ocspStaple");
        }

        Answered(ServerHello hello, List<X509Certificate> chain, Optional<ServerKeyExchange> keyExchange) {
            this(hello, chain, keyExchange, chain.isEmpty() ? CertificateMessage.Kind.NOT_OBSERVED
                    : CertificateMessage.Kind.PRESENT, Optional.empty(), false);
        }
    }

    /** The server declined: a fatal alert, or it closed the connection without answering. */
    record Refused(String reason) implements ServerReply {
    }

    /** Could not tell: timeout, garbage, oversized records, transport failure. Makes the result "untested". */
    record Failed(String reason) implements ServerReply {
    }
}
