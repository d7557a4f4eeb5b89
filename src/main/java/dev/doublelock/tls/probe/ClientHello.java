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
 */
record ClientHello(TlsVersion version, List<Integer> cipherSuites, List<Integer> groups, List<KeyShare> keyShares,
                   Optional<String> serverName, boolean offerCompression) {
    ClientHello {
        cipherSuites = List.copyOf(cipherSuites);
        groups = List.copyOf(groups);
        keyShares = List.copyOf(keyShares);
    }

    static ClientHello of(TlsVersion version, List<Integer> suites, List<Integer> groups, Optional<String> sni) {
        return new ClientHello(version, suites, groups, List.of(), sni, false);
    }

    ClientHello withKeyShares(List<KeyShare> shares) {
        return new ClientHello(version, cipherSuites, groups, shares, serverName, offerCompression);
    }

    ClientHello withCompression() {
        return new ClientHello(version, cipherSuites, groups, keyShares, serverName, true);
    }
}
