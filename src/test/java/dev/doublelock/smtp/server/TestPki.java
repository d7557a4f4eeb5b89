package dev.doublelock.smtp.server;

import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/** A self-signed ECDSA P-256 certificate for "localhost", generated in memory for each test class. */
final class TestPki {
    private static final char[] PASSWORD = "test".toCharArray();
    final KeyPair keyPair;
    final X509Certificate certificate;

    private TestPki(KeyPair keyPair, X509Certificate certificate) {
        this.keyPair = keyPair;
        this.certificate = certificate;
    }

    static TestPki selfSigned(String cn) {
        Instant now = Instant.now();
        // CertificateBuilder's default key is ECDSA P-256, signed SHA256withECDSA, as before.
        CertifiedKey key = new CertificateBuilder()
                .subject("CN=" + cn)
                .dnsNames("localhost")
                .validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)))
                .build();
        return new TestPki(new KeyPair(key.leaf().getPublicKey(), key.privateKey()), key.leaf());
    }

    /** A server context presenting this certificate. */
    SSLContext serverContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", keyPair.getPrivate(), PASSWORD, new X509Certificate[]{certificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** A client context that trusts only this certificate. */
    SSLContext clientContextTrustingOnlyThis() throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("anchor", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** An upgrader serving this certificate with the given protocols (all defaults if none). */
    TlsUpgrader upgrader(String... protocols) throws Exception {
        SSLContext ctx = serverContext();
        return plain -> {
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, null, true);
            s.setUseClientMode(false);
            if (protocols.length > 0) {
                s.setEnabledProtocols(protocols);
            }
            return s;
        };
    }
}
