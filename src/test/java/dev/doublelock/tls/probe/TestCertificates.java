package dev.doublelock.tls.probe;

import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tls.pki.Pem;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A self-signed RSA server certificate for "localhost", made in memory for each test class. */
record TestCertificates(KeyPair keys, X509Certificate certificate) {
    static TestCertificates rsa(String cn) {
        Instant now = Instant.now();
        CertifiedKey key = new CertificateBuilder()
                .keyPair(dev.doublelock.testing.TestRsaKeys.rsa(2048, "")) // made once per build, not per class
                .subject("CN=" + cn)
                .dnsNames(cn)
                .validity(now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS))
                // PKCS#1 v1.5 as before (the builder's RSA default is PSS): the canned and legacy
                // TLS 1.0/1.1 peers these tests talk to must be able to verify it.
                .signatureAlgorithm("SHA256withRSA")
                .build();
        return new TestCertificates(new KeyPair(key.leaf().getPublicKey(), key.privateKey()), key.leaf());
    }

    SSLContext serverContext() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", keys.getPrivate(), new char[0], new X509Certificate[]{certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String pem() {
        return Pem.encode(certificate);
    }

    String keyPem() {
        return Pem.encode(keys.getPrivate());
    }
}
