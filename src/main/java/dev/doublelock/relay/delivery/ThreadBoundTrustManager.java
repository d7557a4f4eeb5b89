package dev.doublelock.relay.delivery;

import javax.net.ssl.SSLEngine;
import dev.doublelock.tls.ServerOnlyTrustManager;

import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * The trust manager of a cached, shared {@link javax.net.ssl.SSLContext}: it holds no state of its own and hands
 * each handshake to the {@link JudgingTrustManager} the delivering thread bound for it ({@link #bind}), so the
 * chain, findings and rejection of one handshake never mix with another's, even when several handshakes use the
 * same context at once. This relies on the client {@link javax.net.ssl.SSLSocket} running its handshake (and the
 * trust check) on the thread that calls {@code startHandshake}, which JSSE does for sockets. A handshake with no
 * bound judge is rejected: it fails closed.
 */
final class ThreadBoundTrustManager extends ServerOnlyTrustManager {
    private static final ThreadLocal<JudgingTrustManager> CURRENT = new ThreadLocal<>();

    private final X509ExtendedTrustManager pkix;

    ThreadBoundTrustManager(X509ExtendedTrustManager pkix) {
        super("the relay's delivery side never accepts client certificates");
        this.pkix = pkix;
    }

    /** Judges the handshakes this thread runs until the returned binding is closed. */
    static Binding bind(JudgingTrustManager judge) {
        JudgingTrustManager previous = CURRENT.get();
        CURRENT.set(judge);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** Ends a {@link #bind}. */
    interface Binding extends AutoCloseable {
        @Override
        void close();
    }

    private static JudgingTrustManager judge() throws CertificateException {
        JudgingTrustManager j = CURRENT.get();
        if (j == null) {
            throw new CertificateException("no trust decision is bound to this handshake's thread; the relay runs "
                    + "handshakes only through HopDelivery");
        }
        return j;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        judge().checkServerTrusted(certs, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
        judge().checkServerTrusted(certs, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        judge().checkServerTrusted(certs, authType);
    }




    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
