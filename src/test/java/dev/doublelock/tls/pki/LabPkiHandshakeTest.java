package dev.doublelock.tls.pki;

import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real TLS handshakes on loopback: a server with a lab key manager, a client trusting only the lab CA. */
class LabPkiHandshakeTest {
    private static final int TIMEOUT_MILLIS = 10_000;
    private final LabPki pki = SharedLabPki.get();

    @Test
    void aClientTrustingOnlyTheLabCaAcceptsGoodForLocalhost() throws Exception {
        try (SSLServerSocket server = server(pki.certificate(LabCertificate.GOOD))) {
            CompletableFuture<String> served = serveOne(server);
            try (SSLSocket client = client(server.getLocalPort())) {
                client.startHandshake();
                assertThat(client.getInputStream().read()).isEqualTo('!');
                X509Certificate[] presented = (X509Certificate[]) client.getSession().getPeerCertificates();
                assertThat(presented).containsExactlyElementsOf(pki.certificate(LabCertificate.GOOD).chain());
            }
            assertThat(served.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo("ok");
        }
    }

    @Test
    void theRsaLeafServesRsaSuitesOverTls12() throws Exception {
        try (SSLServerSocket server = server(pki.certificate(LabCertificate.GOOD_RSA))) {
            serveOne(server);
            try (SSLSocket client = client(server.getLocalPort())) {
                client.setEnabledProtocols(new String[] {"TLSv1.2"});
                client.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
                client.startHandshake();
                assertThat(client.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
            }
        }
    }

    @Test
    void anEcKeyIsNotOfferedForRsaSuites() {
        KeyManager manager = pki.certificate(LabCertificate.GOOD).keyManager();
        var km = (javax.net.ssl.X509ExtendedKeyManager) manager;
        assertThat(km.chooseServerAlias("RSA", null, null)).isNull();
        assertThat(km.chooseServerAlias("EC", null, null)).isEqualTo(CertifiedKey.ALIAS);
        assertThat(km.getCertificateChain(CertifiedKey.ALIAS)).containsExactlyElementsOf(pki.certificate(LabCertificate.GOOD).chain());
        assertThat(km.getPrivateKey("other")).isNull();
    }

    @Test
    void theSameClientRefusesWrongHostWithAHostNameError() throws Exception {
        try (SSLServerSocket server = server(pki.certificate(LabCertificate.WRONG_HOST))) {
            serveOne(server);
            try (SSLSocket client = client(server.getLocalPort())) {
                assertThatThrownBy(client::startHandshake).isInstanceOf(SSLHandshakeException.class)
                        .rootCause().isInstanceOf(java.security.cert.CertificateException.class)
                        .hasMessageContaining("localhost").hasMessageContaining("subject alternative");
            }
        }
    }

    private static SSLServerSocket server(CertifiedKey key) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {key.keyManager()}, null, null);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        server.setSoTimeout(TIMEOUT_MILLIS);
        return server;
    }

    /** Accepts one connection, completes the handshake and writes '!'; "ok" or the failure's message. */
    private static CompletableFuture<String> serveOne(SSLServerSocket server) {
        return CompletableFuture.supplyAsync(() -> {
            try (SSLSocket socket = (SSLSocket) server.accept()) {
                socket.setSoTimeout(TIMEOUT_MILLIS);
                socket.startHandshake();
                socket.getOutputStream().write('!');
                socket.getOutputStream().flush();
                return "ok";
            } catch (Exception e) {
                return String.valueOf(e.getMessage());
            }
        });
    }

    private SSLSocket client(int port) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("lab-ca", pki.caCertificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        Socket raw = new Socket();
        raw.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MILLIS);
        raw.setSoTimeout(TIMEOUT_MILLIS);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(raw, "localhost", port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        return socket;
    }
}
