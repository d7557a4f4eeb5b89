package dev.doublelock.tls.probe;

import dev.doublelock.tls.TlsVersion;

import java.util.List;
import java.util.Optional;

/**
 * What one probe ClientHello asks for. {@link ClientHelloWriter} turns it into a record.
 *
 * @param version         the protocol version to ask for; TLS 1.3 is asked through supported_versions
 * @param cipherSuites    suite codes in preference order
 * @param groups          supported_groups codes (empty: no extension)
 * @param keyShares       TLS 1.3 key shares (empty: an empty key_share, which makes a server answer with
 *                        a HelloRetryRequest naming its group)
 * @param serverName      SNI host name, if any (never an IP literal)
 * @param offerCompression offer DEFLATE (1) before null (0)
 * @param sessionId       the session_id to offer, TLS ≤ 1.2 (empty: none; TLS 1.3 always sends 32 random bytes)
 * @param sessionTicket   the session_ticket extension's content (RFC 5077; empty: ask for a new ticket; null: no
 *                        session_ticket extension, as a client that does not do tickets)
 */
record ClientHello(TlsVersion version, List<Integer> cipherSuites, List<Integer> groups, List<KeyShare> keyShares,
                   Optional<String> serverName, boolean offerCompression, byte[] sessionId, byte[] sessionTicket) {
    private static final byte[] NONE = new byte[0];

    ClientHello {
        cipherSuites = List.copyOf(cipherSuites);
        groups = List.copyOf(groups);
        keyShares = List.copyOf(keyShares);
        if (sessionId.length > 32) throw new IllegalArgumentException("session_id longer than 32 bytes");
        sessionId = sessionId.clone();
        sessionTicket = sessionTicket == null ? null : sessionTicket.clone();
    }

    static ClientHello of(TlsVersion version, List<Integer> suites, List<Integer> groups, Optional<String> sni) {
        return new ClientHello(version, suites, groups, List.of(), sni, false, NONE, NONE);
    }

    ClientHello withKeyShares(List<KeyShare> shares) {
        return new ClientHello(version, cipherSuites, groups, shares, serverName, offerCompression, sessionId, sessionTicket);
    }

    ClientHello withCompression() {
        return new ClientHello(version, cipherSuites, groups, keyShares, serverName, true, sessionId, sessionTicket);
    }

    /** Offers to resume: a session ID (from an earlier ServerHello, or the client's own with a ticket) and a ticket. */
    ClientHello resuming(byte[] id, byte[] ticket) {
        return new ClientHello(version, cipherSuites, groups, keyShares, serverName, offerCompression, id, ticket);
    }
}
