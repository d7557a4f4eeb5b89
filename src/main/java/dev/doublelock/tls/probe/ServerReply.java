package dev.doublelock.tls.probe;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** What a server did with one probe ClientHello. */
sealed interface ServerReply {
    /**
     * The server chose parameters. For TLS ≤ 1.2 the certificate chain and key exchange follow if it sent them
     * before the connection ended.
     */
    record Answered(ServerHello hello, List<X509Certificate> chain, Optional<ServerKeyExchange> keyExchange)
            implements ServerReply {
        public Answered {
            chain = List.copyOf(chain);
        }
    }

    /** The server declined: a fatal alert, or it closed the connection without answering. */
    record Refused(String reason) implements ServerReply {
    }

    /** Could not tell: timeout, garbage, oversized records, transport failure. Makes the result "untested". */
    record Failed(String reason) implements ServerReply {
    }
}
