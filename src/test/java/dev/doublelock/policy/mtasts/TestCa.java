package dev.doublelock.policy.mtasts;

import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A throw-away CA generated in memory (ECDSA P-256), issuing server leaves for tests. */
public final class TestCa {
    private final CertifiedKey ca;

    public TestCa(String name) {
        // basicConstraints critical CA:true (no path length), key usage keyCertSign|cRLSign.
        this.ca = validForTwoDays().subject("CN=" + name).certificateAuthority(-1).build();
    }

    public X509Certificate certificate() {
        return ca.leaf();
    }

    /**
     * A leaf for the given DNS names / IP addresses, with its key. As before, a name made only of
     * digits and dots is an IP address; everything else is a DNS name.
     */
    public Leaf leaf(String... names) {
        CertifiedKey leaf = validForTwoDays()
                .subject("CN=" + names[0])
                .dnsNames(Arrays.stream(names).filter(n -> !isIp(n)).toArray(String[]::new))
                .ipAddresses(Arrays.stream(names).filter(TestCa::isIp).toArray(String[]::new))
                .issuer(ca)
                .build();
        return new Leaf(new KeyPair(leaf.leaf().getPublicKey(), leaf.privateKey()), leaf.leaf(), ca.leaf());
    }

    /** A leaf and its chain (leaf, CA). */
    public record Leaf(KeyPair key, X509Certificate certificate, X509Certificate ca) {
        public List<X509Certificate> chain() {
            return List.of(certificate, ca);
        }

        /** A server SSLContext presenting this leaf and the CA. */
        public SSLContext serverContext() throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("leaf", key.getPrivate(), new char[0], new X509Certificate[] {certificate, ca});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        }
    }

    /** A client SSLContext trusting only this CA. */
    public SSLContext clientContext() throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", ca.leaf());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static boolean isIp(String name) {
        return name.matches("[0-9.]+");
    }

    /** ECDSA P-256 signed SHA256withECDSA (the builder's defaults), valid from an hour ago for two days. */
    private static CertificateBuilder validForTwoDays() {
        Instant now = Instant.now();
        return new CertificateBuilder().validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)));
    }
}
