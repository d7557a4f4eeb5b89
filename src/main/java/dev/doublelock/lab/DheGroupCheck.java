package dev.doublelock.lab;

import javax.crypto.interfaces.DHPublicKey;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures which finite-field DH group a server context really uses: one real handshake over a loopback socket,
 * a JDK client that pins the server's own leaf, and a per-connection {@link AlgorithmConstraints} that is shown
 * the server's ephemeral DH key (SunJSSE asks it to permit that key before it agrees on it). The lab uses it at
 * start so that dhe-1024 never quietly serves another group (see {@link LegacyTls} for why the group size is a
 * process-wide setting).
 */
final class DheGroupCheck {
    private static final int TIMEOUT_MS = 10_000;

    private DheGroupCheck() {
    }

    /** The bit length of the server's DH prime, or 0 if the handshake used no finite-field DH. */
    static int serverGroupBits(SSLContext server, SSLParameters serverParameters, X509Certificate leaf)
            throws IOException, GeneralSecurityException {
        AtomicInteger bits = new AtomicInteger();
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {new PinnedLeaf(leaf)}, null);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1, loopback)) {
            listener.setSSLParameters(serverParameters);
            listener.setSoTimeout(TIMEOUT_MS);
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(TIMEOUT_MS);
                    s.startHandshake();
                } catch (IOException ignored) {
                    // the client side reports the failure
                }
            });
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(loopback, listener.getLocalPort()), TIMEOUT_MS);
                plain.setSoTimeout(TIMEOUT_MS);
                try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(plain, "localhost",
                        listener.getLocalPort(), false)) {
                    SSLParameters p = s.getSSLParameters();
                    p.setProtocols(serverParameters.getProtocols());
                    p.setAlgorithmConstraints(new Recorder(bits));
                    s.setSSLParameters(p);
                    s.startHandshake();
                }
            }
            try {
                acceptor.join(TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return bits.get();
    }

    /** Permits everything (the lab's process has relaxed the JDK's limits anyway) and notes DH keys. */
    private record Recorder(AtomicInteger bits) implements AlgorithmConstraints {
        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, AlgorithmParameters parameters) {
            return true;
        }

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
            if (key instanceof DHPublicKey dh) bits.set(dh.getParams().getP().bitLength());
            return true;
        }

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key, AlgorithmParameters parameters) {
            return permits(primitives, key);
        }
    }

    /** Trusts exactly the one leaf the lab itself serves, nothing else. */
    private static final class PinnedLeaf extends X509ExtendedTrustManager {
        private final X509Certificate leaf;

        PinnedLeaf(X509Certificate leaf) {
            this.leaf = leaf;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0 || !chain[0].equals(leaf)) {
                throw new CertificateException("not the lab's own certificate");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
