/**
 * The checker's record-level TLS prober. A TLS server's first answer to a ClientHello is plaintext up to
 * ServerHelloDone (TLS ≤ 1.2) or the ServerHello/HelloRetryRequest (TLS 1.3): it names the version, the suite,
 * the key-exchange group, the echoed extensions and (≤ 1.2) the certificate chain. So the prober writes its
 * own ClientHellos (SSL 3.0 to TLS 1.3, any suite, any group), reads only those plaintext messages and hangs
 * up. One connection per hello; suites and groups are found by elimination (offer all, remove the one picked,
 * ask again). For a TLS 1.3-only server the chain comes from one JSSE handshake whose trust manager records
 * the chain and then rejects it. Entry point: {@link dev.doublelock.tls.probe.TlsProber}.
 */
package dev.doublelock.tls.probe;
