package dev.doublelock.tls;

import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test-only PKI: root → intermediate → leaf with chosen key, signature algorithm, validity and SANs.
 * Keys are cached per spec so a test run generates each size once; RSA keys once per build ({@code TestRsaKeys},
 * under {@code target/}). Certificates are never written to disk.
 * Certificates are made by {@link CertificateBuilder}, so they carry its extensions (SKI, AKI; for
 * leaves also EKU serverAuth, and keyEncipherment only on RSA keys); this is test code in
 * {@code tls} using the fixture factory of {@code tls.pki}, which main code in {@code tls} may not.
 */
public final class CertFixture {
    private static final Map<String, KeyPair> KEYS = new ConcurrentHashMap<>();
    public static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    /** A certificate with the key pair that belongs to it. */
    public record Issued(X509Certificate cert, KeyPair keys) {
    }

    private CertFixture() {
    }

    /** Cached key; {@code slot} lets tests ask for two different keys of the same kind. */
    public static KeyPair rsa(int bits, String slot) {
        // made once per build, not per test JVM (TestRsaKeys); the slot, in hex, names the key there
        return KEYS.computeIfAbsent("RSA" + bits + slot, k -> dev.doublelock.testing.TestRsaKeys.rsa(bits,
                java.util.HexFormat.of().formatHex(slot.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
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

    // Kept: CertificateBuilder generates a fresh key per build and has no cache; these tests
    // reuse keys (and ask for two different keys of one kind by slot), so key making stays here.
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

    /** The CRL distribution point fixture leaves carry unless told otherwise (a reserved name: nothing serves it). */
    public static final String DEFAULT_CRL = "http://crl.doublelock.invalid/test-ca.crl";

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
        private final List<String> dnsNames = new ArrayList<>();
        private final List<String> ipAddresses = new ArrayList<>();
        private int keyUsage = -1;
        private org.bouncycastle.asn1.x509.KeyPurposeId[] purposes;
        private String crlUrl = DEFAULT_CRL;
        private String ocspUrl;

        private Builder(String subject) {
            this.subject = subject;
        }

        public Builder key(KeyPair k) { this.keys = k; return this; }
        public Builder issuedBy(Issued i) { this.issuer = i; return this; }
        /** JCA names, e.g. SHA256withECDSA, SHA1withRSA, SHA256withRSAandMGF1 (= RSASSA-PSS). */
        public Builder signedWith(String alg) { this.sigAlg = alg; return this; }
        public Builder validity(Instant from, Instant to) { this.notBefore = from; this.notAfter = to; return this; }
        public Builder ca() { this.ca = true; return this; }
        public Builder dns(String... names) { dnsNames.addAll(List.of(names)); return this; }
        public Builder ip(String... ips) { ipAddresses.addAll(List.of(ips)); return this; }
        /** keyUsage bits (0 = none) and extendedKeyUsage purposes (none = no extension) of a leaf. */
        public Builder usage(int keyUsageBits, org.bouncycastle.asn1.x509.KeyPurposeId... eku) {
            this.keyUsage = keyUsageBits;
            this.purposes = eku;
            return this;
        }

        /**
         * Revocation information of a leaf issued by a CA (either may be null; both null = none, the checker's
         * NO_REVOCATION_INFO). Default: a CRL distribution point, as a public CA's leaves have.
         */
        public Builder revocation(String crl, String ocsp) {
            this.crlUrl = crl;
            this.ocspUrl = ocsp;
            return this;
        }

        public Issued build() {
            KeyPair signer = issuer == null ? keys : issuer.keys();
            // The fixture's own default, not the builder's: SHA256withECDSA for any EC signer and
            // PKCS#1 v1.5 SHA256withRSA for RSA (the builder would pick by curve size, and PSS).
            String alg = sigAlg != null ? sigAlg
                    : signer.getPublic().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            CertificateBuilder b = new CertificateBuilder()
                    .keyPair(keys)
                    .subject(subject)
                    .validity(notBefore, notAfter)
                    .signatureAlgorithm(alg)
                    .dnsNames(dnsNames.toArray(String[]::new))
                    .ipAddresses(ipAddresses.toArray(String[]::new));
            if (issuer != null) b = b.issuer(new CertifiedKey(issuer.keys().getPrivate(), List.of(issuer.cert())));
            if (ca) b = b.certificateAuthority(-1);
            if (keyUsage >= 0) b = b.leafUsage(keyUsage, purposes);
            if (issuer != null && !ca) b = b.revocationUrls(crlUrl, ocspUrl);
            return new Issued(b.build().leaf(), keys);
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
