package dev.doublelock.tls.probe;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import dev.doublelock.tls.ServerOnlyTrustManager;

import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gets the certificate chain of a server that speaks only TLS 1.3, where the Certificate message is
 * encrypted: one JSSE handshake whose trust manager records the chain and then rejects it (never trusts),
 * so the handshake always fails right after the chain is known. Over the same transport (STARTTLS too).
 */
final class ChainCapture {
    private final HelloExchange exchange;

    ChainCapture(HelloExchange exchange) {
        this.exchange = exchange;
    }

    /**
     * What a TLS 1.3 handshake showed: the chain (leaf first), or empty with the reason in {@code untested}, and what
     * the server stapled in the Certificate message's status_request entry (RFC 8446 §4.4.2.1); {@code stapleAsked}
     * is true when the ClientHello asked for one (JSSE's client does by default), so an empty staple then means the
     * server staples nothing.
     */
    record Captured(List<X509Certificate> chain, Optional<byte[]> staple, boolean stapleAsked) {
    }

    /**
     * JSSE first; when its handshake ends before the certificate (a server whose only TLS 1.3 suites are the CCM ones
     * JSSE lacks, or a group JSSE does not offer), once more through BouncyCastle's JSSE with every TLS 1.3 suite it has.
     */
    Captured capture(List<String> untested) {
        List<String> jdkWhy = new java.util.ArrayList<>();
        Captured c = capture(Engine.JDK, jdkWhy);
        if (!c.chain().isEmpty() || jdkWhy.stream().anyMatch(w -> w.startsWith("certificate chain: no connection"))) {
            untested.addAll(jdkWhy);
            return c;
        }
        List<String> bcWhy = new java.util.ArrayList<>();
        c = capture(Engine.BOUNCY_CASTLE, bcWhy);
        if (c.chain().isEmpty()) untested.addAll(bcWhy);
        return c;
    }

    /** Whether JSSE's client sends status_request (RFC 6066 §8): on unless the property turns it off. */
    private static boolean jdkAsksForStaple() {
        return !"false".equalsIgnoreCase(System.getProperty("jdk.tls.client.enableStatusRequestExtension", "true"));
    }

    private static final java.util.concurrent.atomic.AtomicReference<java.security.Provider> BCJSSE = new java.util.concurrent.atomic.AtomicReference<>();

    /** BouncyCastle's JSSE over BouncyCastle's crypto (CCM, TLS 1.2 static RSA), made once for every probe that needs it. */
    static java.security.Provider bouncyCastleJsse() {
        return BCJSSE.updateAndGet(p -> p != null ? p
                : new org.bouncycastle.jsse.provider.BouncyCastleJsseProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()));
    }

    /** The TLS implementations a capture can use. */
    private enum Engine {
        JDK, BOUNCY_CASTLE;

        SSLContext context(TrustManager tm) throws GeneralSecurityException {
            SSLContext ctx = switch (this) {
                case JDK -> SSLContext.getInstance("TLS");
                case BOUNCY_CASTLE -> SSLContext.getInstance("TLS", bouncyCastleJsse());
            };
            ctx.init(null, new TrustManager[]{tm}, null);
            return ctx;
        }
    }

    private Captured capture(Engine engine, List<String> untested) {
        ProbeTarget target = exchange.target();
        RecordingTrustManager recorder = new RecordingTrustManager();
        SSLContext ctx;
        try {
            ctx = engine.context(recorder);
        } catch (GeneralSecurityException e) {
            untested.add("certificate chain: " + engine + " TLS unavailable: " + e.getMessage());
            return new Captured(List.of(), Optional.empty(), false);
        }
        HelloExchange.Connected<Boolean> r = exchange.connect((c, deadline) -> {
            Socket raw = c.socket();
            try (SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(raw,
                    target.sniName().orElse(target.address().getAddress().getHostAddress()), target.address().getPort(), false)) {
                SSLParameters p = ssl.getSSLParameters();
                p.setProtocols(new String[]{"TLSv1.3"});
                if (engine == Engine.BOUNCY_CASTLE) {
                    p.setCipherSuites(java.util.Arrays.stream(ssl.getSupportedCipherSuites())
                            .filter(Offers.tls13Names()::contains).toArray(String[]::new));
                }
                target.sniName().ifPresentOrElse(n -> p.setServerNames(List.of(new SNIHostName(n))),
                        () -> p.setServerNames(List.of()));
                ssl.setSSLParameters(p);
                raw.setSoTimeout((int) Math.max(1, deadline.remainingMillis()));
                ssl.startHandshake();
            } catch (IOException | IllegalArgumentException expected) {
                // the recorder always rejects; the handshake is meant to fail here
            }
            return true;
        });
        switch (r) {
            case HelloExchange.Connected.NotReached<Boolean> n -> {
                untested.add("certificate chain: no connection: " + n.outcome().detail());
                return new Captured(List.of(), Optional.empty(), false);
            }
            case HelloExchange.Connected.NoSlot<Boolean> n -> {
                untested.add("certificate chain: no connection: " + n.reason());
                return new Captured(List.of(), Optional.empty(), false);
            }
            case HelloExchange.Connected.Used<Boolean> u -> {
                // the handshake ran; the recorder has the chain unless the server stopped before it
            }
        }
        List<X509Certificate> chain = recorder.chain.get();
        if (chain == null) {
            untested.add("certificate chain: the TLS 1.3 handshake ended before the server sent its certificate");
            return new Captured(List.of(), Optional.empty(), false);
        }
        // BouncyCastle's client is not asked for a staple here: only the JDK's says whether the server staples
        return new Captured(chain, Optional.ofNullable(recorder.staple.get()), engine == Engine.JDK && jdkAsksForStaple());
    }

    /** Records the server chain, then refuses it: a probe must never trust anything. */
    static final class RecordingTrustManager extends ServerOnlyTrustManager {
        final AtomicReference<List<X509Certificate>> chain = new AtomicReference<>();

        RecordingTrustManager() {
            super("a probe accepts no clients");
        }

        /** The leaf's OCSP response from the TLS 1.3 Certificate message, when the server stapled one. */
        final AtomicReference<byte[]> staple = new AtomicReference<>();

        private void record(X509Certificate[] certs, javax.net.ssl.SSLSession handshake) throws CertificateException {
            if (handshake instanceof javax.net.ssl.ExtendedSSLSession e) {
                try {
                    List<byte[]> responses = e.getStatusResponses();
                    if (!responses.isEmpty() && responses.getFirst() != null && responses.getFirst().length > 0) {
                        staple.compareAndSet(null, responses.getFirst().clone());
                    }
                } catch (UnsupportedOperationException notThisProvider) {
                    // a provider without status responses: no staple seen
                }
            }
            record(certs);
        }

        private void record(X509Certificate[] certs) throws CertificateException {
            chain.compareAndSet(null, List.of(certs));
            throw new CertificateException("doublelock probe: chain recorded, deliberately not trusted");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
            record(certs, socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
            record(certs, engine == null ? null : engine.getHandshakeSession());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
            record(certs);
        }




        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
