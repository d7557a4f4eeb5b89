package dev.doublelock.tls.probe;

import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A parsed ServerHello or HelloRetryRequest (RFC 5246 §7.4.1.3, RFC 8446 §4.1.3-4).
 *
 * @param legacyVersion    server_version as sent
 * @param version          the negotiated version: supported_versions' selected_version if present, else legacyVersion
 * @param cipherSuite      the chosen suite code
 * @param compression      the chosen compression method (0 null, 1 DEFLATE)
 * @param extensions       extension type → data, as sent
 * @param helloRetryRequest true if the random is the RFC 8446 HelloRetryRequest marker
 * @param downgradeSentinel the RFC 8446 §4.1.3 marker in the last 8 bytes of the random ("DOWNGRD" + 01 for a
 *                          TLS 1.2 answer, + 00 for TLS 1.1 and older) that a TLS 1.3 server sets when it
 *                          negotiates less: its downgrade protection, in place of RFC 7507's alert
 * @param sessionId        session_id as sent (0..32 bytes): an echo of the client's means a resumed session (RFC 5246
 *                         §7.4.1.3, RFC 5077 §3.4)
 */
record ServerHello(int legacyVersion, int version, int cipherSuite, int compression, Map<Integer, byte[]> extensions,
                   boolean helloRetryRequest, boolean downgradeSentinel, byte[] sessionId) {
    private static final byte[] DOWNGRD = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44};

    static boolean downgradeSentinel(byte[] random) {
        if (random.length != 32) return false;
        for (int i = 0; i < 7; i++) if (random[24 + i] != DOWNGRD[i]) return false;
        return random[31] == 0 || random[31] == 1;
    }

    static final byte[] HRR_RANDOM = HexFormat.of()
            .parseHex("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    ServerHello {
        extensions = Map.copyOf(extensions);
        sessionId = sessionId.clone();
    }

    boolean has(int extensionType) {
        return extensions.containsKey(extensionType);
    }

    /** The group in key_share: selected_group of an HRR, or the server share's group of a TLS 1.3 ServerHello. */
    OptionalInt keyShareGroup() {
        byte[] ks = extensions.get(ClientHelloWriter.EXT_KEY_SHARE);
        if (ks == null || ks.length < 2) return OptionalInt.empty();
        return OptionalInt.of(((ks[0] & 0xFF) << 8) | (ks[1] & 0xFF));
    }

    /** RFC 5746: renegotiation_info echoed (an initial handshake carries an empty renegotiated_connection). */
    boolean secureRenegotiation() {
        return has(ClientHelloWriter.EXT_RENEGOTIATION_INFO);
    }
}
