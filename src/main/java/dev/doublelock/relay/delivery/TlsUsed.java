package dev.doublelock.relay.delivery;

import java.util.Optional;

/**
 * What protection a delivery attempt had.
 *
 * @param protocol           negotiated TLS protocol ("TLSv1.3"), empty for plaintext
 * @param cipherSuite        negotiated suite, empty for plaintext
 * @param plaintextFallback  true if TLS failed or was refused and the message went in plaintext on purpose
 *                           (opportunistic / testing only)
 */
record TlsUsed(Optional<String> protocol, Optional<String> cipherSuite, boolean plaintextFallback) {
    static final TlsUsed NONE = new TlsUsed(Optional.empty(), Optional.empty(), false);
    static final TlsUsed FALLBACK = new TlsUsed(Optional.empty(), Optional.empty(), true);

    /** For the Received header: "ESMTPS (TLSv1.3 TLS_AES_128_GCM_SHA256)" or "ESMTP (no TLS)". */
    String describe() {
        return protocol.map(p -> "ESMTPS (" + p + cipherSuite.map(s -> " " + s).orElse("") + ")")
                .orElse(plaintextFallback ? "ESMTP (no TLS: plaintext after a failed TLS attempt)" : "ESMTP (no TLS)");
    }
}
