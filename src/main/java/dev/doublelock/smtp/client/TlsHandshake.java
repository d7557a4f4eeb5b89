package dev.doublelock.smtp.client;

import dev.doublelock.tls.EphemeralKeyRecorder;
import dev.doublelock.tls.TlsFailureClassifier;
import dev.doublelock.tls.TlsHandshakeResult;
import dev.doublelock.tls.TlsVersion;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of the TLS handshake after "220 Ready to start TLS": layers an {@link SSLSocket} over
 * the plaintext socket with exactly what the {@link ClientTlsConfig} allows, runs the handshake under a
 * deadline and says how it ended. Never throws for a failed handshake: the failure is a result.
 */
final class TlsHandshake {
    /**
     * How the handshake ended; on success the socket to continue on. {@code keyExchange} is what the server's key
     * share showed (also after a failure, as far as the handshake got).
     */
    record Outcome(TlsHandshakeResult result, Socket socket, EphemeralKeyRecorder.KeyExchange keyExchange) {
    }

    private TlsHandshake() {
    }

    /**
     * The SSL parameters the config asks for, checked against the context's provider.
     *
     * @throws IllegalArgumentException if the provider does not know a protocol, suite or group named in the config
     */
    static SSLParameters parameters(ClientTlsConfig config) {
        SSLParameters p = config.context().getDefaultSSLParameters();
        p.setProtocols(config.protocols().toArray(String[]::new));
        if (!config.cipherSuites().isEmpty()) {
            p.setCipherSuites(config.cipherSuites().toArray(String[]::new));
        }
        if (!config.namedGroups().isEmpty()) {
            p.setNamedGroups(config.namedGroups().toArray(String[]::new));
        }
        p.setServerNames(config.sni().<List<SNIServerName>>map(n -> List.of(new SNIHostName(n))).orElse(List.of()));
        p.setEndpointIdentificationAlgorithm(config.endpointIdentification() ? "HTTPS" : null);
        try {
            config.context().createSSLEngine().setSSLParameters(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ClientTlsConfig names something the TLS provider "
                    + config.context().getProvider().getName() + " does not support: " + e.getMessage(), e);
        }
        return p;
    }

    /**
     * Runs the handshake over {@code plain}; {@code referenceName} is the name endpoint identification
     * checks the certificate against. The socket's algorithm constraints are wrapped in an
     * {@link EphemeralKeyRecorder} (deciding exactly as before) so that the server's key share is seen; a trust
     * manager finds it through {@code SSLSocket.getSSLParameters().getAlgorithmConstraints()}.
     */
    static Outcome run(Socket plain, ClientTlsConfig config, SSLParameters params, String referenceName, Duration timeout) {
        SSLSocket ssl = null;
        EphemeralKeyRecorder recorder = EphemeralKeyRecorder.wrapping(params.getAlgorithmConstraints());
        try (WriteWatchdog.Guard guard = WriteWatchdog.arm(timeout, () -> closeQuietly(plain))) {
            ssl = (SSLSocket) config.context().getSocketFactory().createSocket(plain, referenceName, plain.getPort(), true);
            ssl.setUseClientMode(true);
            params.setAlgorithmConstraints(recorder);
            ssl.setSSLParameters(params);
            ssl.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            try {
                ssl.startHandshake();
            } catch (IOException e) {
                if (guard.fired()) {
                    throw new java.net.SocketTimeoutException("TLS handshake not completed within " + timeout.toMillis() + " ms");
                }
                throw e;
            }
            SSLSession session = ssl.getSession();
            return new Outcome(new TlsHandshakeResult.Established(TlsVersion.forJavaName(session.getProtocol()),
                    session.getCipherSuite(), config.sni(), peerChain(session)), ssl, recorder.keyExchange());
        } catch (IOException | RuntimeException e) {
            closeQuietly(plain);
            return new Outcome(TlsFailureClassifier.classify(e), null, recorder.keyExchange());
        }
    }

    private static List<X509Certificate> peerChain(SSLSession session) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
        return chain;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
