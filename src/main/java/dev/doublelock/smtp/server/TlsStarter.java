package dev.doublelock.smtp.server;

import dev.doublelock.tls.TlsFailureClassifier;
import dev.doublelock.tls.TlsHandshakeResult;
import dev.doublelock.tls.TlsVersion;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the server side of a STARTTLS handshake (RFC 3207 4) under a deadline and reports how it ended.
 */
final class TlsStarter {
    /** The upgraded socket (only when established) and the result to report. */
    record Outcome(SSLSocket socket, TlsHandshakeResult result) {
    }

    private final TlsUpgrader upgrader;
    private final Watchdog watchdog;
    private final Duration deadline;

    TlsStarter(TlsUpgrader upgrader, Watchdog watchdog, Duration deadline) {
        this.upgrader = upgrader;
        this.watchdog = watchdog;
        this.deadline = deadline;
    }

    Outcome handshake(Connection conn) {
        SSLSocket ssl = null;
        java.util.concurrent.atomic.AtomicReference<String> requested = new java.util.concurrent.atomic.AtomicReference<>();
        try (Watchdog.Guard guard = watchdog.arm(deadline, conn::closeQuietly)) {
            try {
                ssl = upgrader.upgrade(conn.plain());
                ssl.setUseClientMode(false);
                recordServerName(ssl, requested);
                ssl.setSoTimeout((int) Math.min(Integer.MAX_VALUE, deadline.toMillis()));
                ssl.startHandshake();
                return new Outcome(ssl, established(ssl.getSession()));
            } catch (IOException | RuntimeException e) {
                TlsHandshakeResult.Failed failed = guard.fired()
                        ? new TlsHandshakeResult.Failed(TlsHandshakeResult.Failed.TIMEOUT, false,
                        "handshake not completed within " + deadline.toMillis() + " ms; " + e)
                        : TlsFailureClassifier.classify(e);
                return new Outcome(null, failed.withSni(Optional.ofNullable(requested.get())));
            }
        }
    }

    /**
     * Notes the host name the client asks for (SNI), also when the handshake then fails: a matcher that accepts
     * every name, unless the upgrader set its own matcher for host names (then that one decides and nothing is noted
     * before the handshake succeeds).
     */
    private static void recordServerName(SSLSocket ssl, java.util.concurrent.atomic.AtomicReference<String> requested) {
        javax.net.ssl.SSLParameters p = ssl.getSSLParameters();
        java.util.Collection<javax.net.ssl.SNIMatcher> matchers = p.getSNIMatchers();
        if (matchers != null && matchers.stream().anyMatch(m -> m.getType() == javax.net.ssl.StandardConstants.SNI_HOST_NAME)) {
            return;
        }
        List<javax.net.ssl.SNIMatcher> all = new ArrayList<>(matchers == null ? List.of() : matchers);
        all.add(new javax.net.ssl.SNIMatcher(javax.net.ssl.StandardConstants.SNI_HOST_NAME) {
            @Override
            public boolean matches(SNIServerName name) {
                if (name instanceof SNIHostName host) {
                    requested.set(host.getAsciiName());
                } else {
                    try {
                        requested.set(new SNIHostName(name.getEncoded()).getAsciiName());
                    } catch (IllegalArgumentException notAHostName) {
                        // keep nothing
                    }
                }
                return true;
            }
        });
        p.setSNIMatchers(all);
        ssl.setSSLParameters(p);
    }

    private static TlsHandshakeResult.Established established(SSLSession session) {
        Optional<String> sni = Optional.empty();
        if (session instanceof ExtendedSSLSession ext) {
            for (SNIServerName name : ext.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    sni = Optional.of(host.getAsciiName());
                }
            }
        }
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
        } catch (SSLPeerUnverifiedException noClientCertificate) {
            // the usual case: SMTP clients rarely present certificates
        }
        return new TlsHandshakeResult.Established(TlsVersion.forJavaName(session.getProtocol()),
                session.getCipherSuite(), sni, chain);
    }
}
