package dev.doublelock.smtp.client;

import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import org.bouncycastle.asn1.x500.X500Name;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/** An in-memory test CA (ECDSA P-256) that issues server leaves; nothing is written to disk. */
final class TestCa {
    private static final char[] PASSWORD = "test".toCharArray();
    final X500Name name;
    final KeyPair keyPair;
    final X509Certificate certificate;
    private final CertifiedKey signer;

    /** A leaf with its key, issued by this CA. */
    record Leaf(KeyPair keyPair, X509Certificate certificate, X509Certificate issuer) {
        /** A server context presenting leaf + CA. */
        SSLContext serverContext() throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", keyPair.getPrivate(), PASSWORD, new X509Certificate[]{certificate, issuer});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        }
    }

    private TestCa(CertifiedKey signer) {
        this.signer = signer;
        this.certificate = signer.leaf();
        this.name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        this.keyPair = keyPair(signer);
    }

    static TestCa create(String name) {
        // basicConstraints critical CA:true (no path length), key usage keyCertSign|cRLSign.
        return new TestCa(validForADay().subject("CN=" + name).certificateAuthority(-1).build());
    }

    Leaf issue(String dnsName) {
        CertifiedKey leaf = validForADay().subject("CN=" + dnsName).dnsNames(dnsName).issuer(signer).build();
        return new Leaf(keyPair(leaf), leaf.leaf(), certificate);
    }

    /** A PKIX client context whose only anchor is this CA. */
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

    /** ECDSA P-256 signed SHA256withECDSA (the builder's defaults), valid from an hour ago for a day. */
    private static CertificateBuilder validForADay() {
        Instant now = Instant.now();
        return new CertificateBuilder().validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
    }

    private static KeyPair keyPair(CertifiedKey key) {
        return new KeyPair(key.leaf().getPublicKey(), key.privateKey());
    }
}
