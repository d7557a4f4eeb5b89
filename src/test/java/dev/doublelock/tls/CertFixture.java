package dev.doublelock.tls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test-only PKI: root → intermediate → leaf with chosen key, signature algorithm, validity and SANs.
 * Keys are cached per spec so a test run generates each size once. Nothing is written to disk.
 */
public final class CertFixture {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final Map<String, KeyPair> KEYS = new ConcurrentHashMap<>();
    private static final AtomicLong SERIAL = new AtomicLong(1000);
    public static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    /** A certificate with the key pair that belongs to it. */
    public record Issued(X509Certificate cert, KeyPair keys) {
    }

    private CertFixture() {
    }

    /** Cached key; {@code slot} lets tests ask for two different keys of the same kind. */
    public static KeyPair rsa(int bits, String slot) {
        return KEYS.computeIfAbsent("RSA" + bits + slot, k -> generate("RSA", bits, null));
    }

    public static KeyPair rsa(int bits) {
        return rsa(bits, "");
    }

    public static KeyPair ec(String curve, String slot) {
        return KEYS.computeIfAbsent("EC" + curve + slot, k -> generate("EC", 0, curve));
    }

    public static KeyPair ec(String curve) {
        return ec(curve, "");
    }

    private static KeyPair generate(String alg, int bits, String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
            if (curve != null) g.initialize(new ECGenParameterSpec(curve));
            else g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Builder cert(String subjectDn) {
        return new Builder(subjectDn);
    }

    /** Fluent description of one certificate. Defaults: valid NOW±1y, not a CA, self-signed unless issuedBy. */
    public static final class Builder {
        private final String subject;
        private KeyPair keys = ec("secp256r1");
        private Issued issuer;
        private String sigAlg;
        private Instant notBefore = NOW.minus(Duration.ofDays(365));
        private Instant notAfter = NOW.plus(Duration.ofDays(365));
        private boolean ca;
        private final List<GeneralName> sans = new ArrayList<>();

        private Builder(String subject) {
            this.subject = subject;
        }

        public Builder key(KeyPair k) { this.keys = k; return this; }
        public Builder issuedBy(Issued i) { this.issuer = i; return this; }
        /** JCA names, e.g. SHA256withECDSA, SHA1withRSA, SHA256withRSAandMGF1 (= RSASSA-PSS). */
        public Builder signedWith(String alg) { this.sigAlg = alg; return this; }
        public Builder validity(Instant from, Instant to) { this.notBefore = from; this.notAfter = to; return this; }
        public Builder ca() { this.ca = true; return this; }
        public Builder dns(String... names) { for (String n : names) sans.add(new GeneralName(GeneralName.dNSName, n)); return this; }
        public Builder ip(String... ips) { for (String n : ips) sans.add(new GeneralName(GeneralName.iPAddress, n)); return this; }

        public Issued build() {
            try {
                KeyPair signer = issuer == null ? keys : issuer.keys();
                X500Name issuerName = issuer == null ? new X500Name(subject)
                        : X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded());
                String alg = sigAlg != null ? sigAlg
                        : signer.getPublic().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
                        BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                        new X500Name(subject), keys.getPublic());
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                        ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                if (!sans.isEmpty()) {
                    b.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(sans.toArray(GeneralName[]::new)));
                }
                var holder = b.build(new JcaContentSignerBuilder(alg).setProvider(BC).build(signer.getPrivate()));
                return new Issued(new JcaX509CertificateConverter().getCertificate(holder), keys);
            } catch (Exception e) {
                throw new IllegalStateException("cannot build test certificate " + subject + ": " + e, e);
            }
        }
    }

    /** The lab's "good" hierarchy: RSA-3072 root → (RSASSA-PSS) ECDSA P-384 intermediate → (ECDSA) P-256 leaf. */
    public record Pki(Issued root, Issued intermediate) {
        public Issued leaf(String... dnsNames) {
            return cert("CN=" + dnsNames[0]).key(ec("secp256r1", "leaf")).issuedBy(intermediate)
                    .dns(dnsNames).ip("127.0.0.1").build();
        }
    }

    public static Pki goodPki(String slot) {
        Issued root = cert("CN=doublelock test root " + slot).key(rsa(3072)).ca()
                .validity(NOW.minus(Duration.ofDays(3650)), NOW.plus(Duration.ofDays(3650))).build();
        Issued inter = cert("CN=doublelock test intermediate " + slot).key(ec("secp384r1", slot)).ca()
                .issuedBy(root).signedWith("SHA256withRSAandMGF1").build();
        return new Pki(root, inter);
    }
}
