package dev.doublelock.relay.delivery;

import java.util.Optional;

/**
 * What protection a delivery attempt had.
 *
 * @param protocol           negotiated TLS protocol ("TLSv1.3"), empty for plaintext
 * @param cipherSuite        negotiated suite, empty for plaintext
 * @param plaintextFallback  true if TLS was refused or impossible and the message went in plaintext on purpose
 *                           (opportunistic / testing only)
 * @param verified           true if the TLS session's certificate was verified (PKIX and name, or DANE); false
 *                           for plaintext and for unauthenticated TLS (opportunistic / testing: the checks ran and
 *                           their findings are recorded, but a failure did not stop the encrypted delivery)
 */
record TlsUsed(Optional<String> protocol, Optional<String> cipherSuite, boolean plaintextFallback, boolean verified) {
    static final TlsUsed NONE = new TlsUsed(Optional.empty(), Optional.empty(), false, false);
    static final TlsUsed FALLBACK = new TlsUsed(Optional.empty(), Optional.empty(), true, false);

    /** A TLS session with {@code protocol} (JSSE name) and {@code suite}. */
    static TlsUsed tls(Optional<String> protocol, Optional<String> suite, boolean verified) {
        return new TlsUsed(protocol, suite, false, verified);
    }

    /** True for TLS whose certificate was not verified. */
    boolean unverified() {
        return protocol.isPresent() && !verified;
    }

    /**
     * For the Received header: "ESMTPS (TLSv1.3 TLS_AES_128_GCM_SHA256)", "ESMTPS (TLSv1 ..., unverified)" or
     * "ESMTP (no TLS)".
     */
    String describe() {
        return protocol.map(p -> "ESMTPS (" + p + cipherSuite.map(s -> " " + s).orElse("") + (verified ? "" : ", unverified") + ")")
                .orElse(plaintextFallback ? "ESMTP (no TLS: plaintext after a failed TLS attempt)" : "ESMTP (no TLS)");
    }
}
