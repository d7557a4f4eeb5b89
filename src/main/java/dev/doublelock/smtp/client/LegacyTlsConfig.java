package dev.doublelock.smtp.client;

import dev.doublelock.tls.TlsVersion;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * STARTTLS for a server the JDK's TLS cannot talk to (TLS 1.0/1.1 only, static-RSA suites only): Bouncy Castle's
 * own TLS protocol engine ({@code org.bouncycastle.tls}, not its JSSE provider), in this one connection only. The
 * JDK's {@code jdk.tls.disabledAlgorithms} is a process-wide list that the relay must never relax, and BCJSSE reads
 * the same list (once, at class initialisation); the protocol engine reads no JDK security property, so it can
 * offer TLS 1.2 down to 1.0 and legacy suites here without changing anything for any other connection. It uses a
 * private Bouncy Castle provider instance, never registered with {@code java.security.Security}.
 *
 * <p>This is for unauthenticated ("opportunistic") TLS only, where the alternative is plaintext: the chain is
 * handed to {@code judge}, which records what it finds and may refuse; there is no trust decision here.
 *
 * @param judge the relay's judgement of the chain (called during the handshake; throwing aborts it)
 * @param sni   the server name to send; empty = none
 */
public record LegacyTlsConfig(ChainJudge judge, Optional<String> sni) {
    /** Sees the server's chain with the protocol and suite the server chose; may refuse by throwing. */
    @FunctionalInterface
    public interface ChainJudge {
        void judge(List<X509Certificate> chain, TlsVersion protocol, String cipherSuite) throws CertificateException;
    }

    public LegacyTlsConfig {
        Objects.requireNonNull(judge, "judge");
        Objects.requireNonNull(sni, "sni");
    }
}
