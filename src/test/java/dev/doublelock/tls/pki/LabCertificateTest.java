package dev.doublelock.tls.pki;

import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.security.auth.x500.X500Principal;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static dev.doublelock.tls.pki.CertificateFacts.P256;
import static dev.doublelock.tls.pki.CertificateFacts.RSASSA_PSS;
import static dev.doublelock.tls.pki.CertificateFacts.SHA1_RSA;
import static dev.doublelock.tls.pki.CertificateFacts.MD5_RSA;
import static dev.doublelock.tls.pki.CertificateFacts.SHA256_ECDSA;
import static org.assertj.core.api.Assertions.assertThat;

/** Each lab certificate has its one defect and otherwise looks exactly like GOOD. */
class LabCertificateTest {
    private static final Instant C = SharedLabPki.CREATED;
    private static final List<String> LOCALHOST_SANS = List.of("DNS:localhost", "IP:127.0.0.1", "IP:" + CertificateFacts.ip("::1"));
    private static final String SHA256 = "2.16.840.1.101.3.4.2.1";
    private static final String EKU_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    private final LabPki pki = SharedLabPki.get();

    @Test
    void theLabCaIsRsa3072SelfSignedWithPssAndTenYears() throws Exception {
        X509Certificate ca = pki.caCertificate();
        assertThat(ca.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=doublelock lab CA"));
        assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        ca.verify(ca.getPublicKey());
        assertThat(CertificateFacts.key(ca.getPublicKey())).isEqualTo("RSA 3072");
        assertThat(ca.getSigAlgOID()).isEqualTo(RSASSA_PSS);
        assertThat(CertificateFacts.pssHash(ca)).isEqualTo(SHA256);
        assertThat(ca.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(ca.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false, false);
        assertThat(CertificateFacts.extensions(ca)).containsExactlyInAnyOrder("!" + Extension.basicConstraints, "!" + Extension.keyUsage,
                Extension.authorityKeyIdentifier.getId(), Extension.subjectKeyIdentifier.getId());
        assertThat(CertificateFacts.authorityKeyId(ca)).isEqualTo(CertificateFacts.subjectKeyId(ca));
        assertThat(ca.getNotBefore().toInstant()).isEqualTo(C.minus(Duration.ofHours(1)));
        assertThat(ca.getNotAfter().toInstant()).isEqualTo(C.atOffset(ZoneOffset.UTC).plusYears(10).toInstant());
    }

    @Test
    void theIntermediateIsP256WithPathLenZeroSignedPssByTheCa() throws Exception {
        X509Certificate intermediate = pki.intermediateCertificate();
        X509Certificate ca = pki.caCertificate();
        intermediate.verify(ca.getPublicKey());
        assertThat(intermediate.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(CertificateFacts.key(intermediate.getPublicKey())).isEqualTo("EC " + P256);
        assertThat(intermediate.getSigAlgOID()).isEqualTo(RSASSA_PSS);
        assertThat(CertificateFacts.pssHash(intermediate)).isEqualTo(SHA256);
        assertThat(intermediate.getBasicConstraints()).isZero();
        assertThat(intermediate.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId());
        assertThat(CertificateFacts.authorityKeyId(intermediate)).isEqualTo(CertificateFacts.subjectKeyId(ca));
    }

    @ParameterizedTest
    @EnumSource(value = LabCertificate.class, mode = EnumSource.Mode.EXCLUDE, names = "SHAME")
    void eachLeafDiffersFromGoodOnlyInItsDefect(LabCertificate which) throws Exception {
        X509Certificate intermediate = pki.intermediateCertificate();
        String key = "EC " + P256;
        String signature = SHA256_ECDSA;
        String name = "localhost";
        List<String> sans = LOCALHOST_SANS;
        X509Certificate issuer = intermediate;
        List<X509Certificate> sentAfterLeaf = List.of(intermediate);
        Instant notBefore = C.minus(Duration.ofHours(1));
        Instant notAfter = C.plus(Duration.ofDays(397));
        boolean keyEncipherment = false;
        boolean hasSan = true;
        switch (which) {
            case GOOD -> { }
            case GOOD_RSA -> { key = "RSA 3072"; keyEncipherment = true; }
            case SELF_SIGNED -> { issuer = null; sentAfterLeaf = List.of(); }
            case UNTRUSTED_ROOT -> { issuer = pki.untrustedRootCertificate(); sentAfterLeaf = List.of(issuer); }
            case MISSING_INTERMEDIATE -> sentAfterLeaf = List.of();
            case EXPIRED -> { notBefore = C.minus(Duration.ofDays(60)); notAfter = C.minus(Duration.ofDays(30)); }
            case NOT_YET_VALID -> {
                notBefore = C.atOffset(ZoneOffset.UTC).plusYears(10).toInstant();
                notAfter = C.atOffset(ZoneOffset.UTC).plusYears(11).toInstant();
            }
            case WRONG_HOST -> { name = "abc.xy"; sans = List.of("DNS:abc.xy"); }
            case SHA1_SIGNATURE -> { signature = SHA1_RSA; issuer = pki.caCertificate(); sentAfterLeaf = List.of(); }
            case RSA_1024 -> { key = "RSA 1024"; keyEncipherment = true; }
            case CN_ONLY -> { sans = List.of(); hasSan = false; }
            case WILDCARD_TOO_DEEP -> { name = "*.deep.localhost"; sans = List.of("DNS:*.deep.localhost"); }
            case MD5_SIGNATURE -> { signature = MD5_RSA; issuer = pki.caCertificate(); sentAfterLeaf = List.of(); }
            case SHAME -> throw new AssertionError("tested on its own");
        }

        CertifiedKey certified = pki.certificate(which);
        X509Certificate leaf = certified.leaf();
        X509Certificate expectedIssuer = issuer == null ? leaf : issuer;
        assertThat(CertificateFacts.key(leaf.getPublicKey())).isEqualTo(key);
        assertThat(LabFiles.belongTogether(certified.privateKey(), leaf.getPublicKey())).isTrue();
        assertThat(leaf.getSigAlgOID()).isEqualTo(signature);
        assertThat(leaf.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=" + name));
        assertThat(CertificateFacts.sans(leaf)).containsExactlyElementsOf(sans);
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(expectedIssuer.getSubjectX500Principal());
        leaf.verify(expectedIssuer.getPublicKey());
        assertThat(CertificateFacts.authorityKeyId(leaf)).isEqualTo(CertificateFacts.subjectKeyId(expectedIssuer));
        assertThat(certified.chain().subList(1, certified.chain().size())).containsExactlyElementsOf(sentAfterLeaf);
        assertThat(leaf.getNotBefore().toInstant()).isEqualTo(notBefore);
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(notAfter);
        assertThat(leaf.getVersion()).isEqualTo(3);
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getKeyUsage()).containsExactly(true, false, keyEncipherment, false, false, false, false, false, false);
        assertThat(leaf.getExtendedKeyUsage()).containsExactly(EKU_SERVER_AUTH);
        List<String> extensions = new java.util.ArrayList<>(List.of("!" + Extension.basicConstraints, "!" + Extension.keyUsage,
                Extension.authorityKeyIdentifier.getId(), Extension.subjectKeyIdentifier.getId(),
                Extension.extendedKeyUsage.getId(),
                // a CRL distribution point, as a public CA's leaves have (so good is not NO_REVOCATION_INFO)
                Extension.cRLDistributionPoints.getId()));
        if (hasSan) extensions.add(Extension.subjectAlternativeName.getId());
        assertThat(CertificateFacts.extensions(leaf)).containsExactlyInAnyOrderElementsOf(extensions);
    }

    @Test
    void shameIsWhatTheFaketimeOpensslCommandMakes() throws Exception {
        CertifiedKey shame = pki.certificate(LabCertificate.SHAME);
        X509Certificate cert = shame.leaf();
        assertThat(shame.chain()).containsExactly(cert);
        assertThat(CertificateFacts.key(cert.getPublicKey())).isEqualTo("RSA 1024");
        assertThat(cert.getSigAlgOID()).isEqualTo(SHA1_RSA);
        assertThat(cert.getSigAlgName()).isEqualTo("SHA1withRSA");
        cert.verify(cert.getPublicKey());
        assertThat(cert.getNotBefore().toInstant()).isEqualTo(Instant.parse("1970-01-01T00:00:00Z"));
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(Instant.parse("1970-01-02T00:00:00Z"));
        assertThat(cert.getVersion()).isEqualTo(3);
        assertThat(cert.getSerialNumber().signum()).isPositive();
        assertThat(cert.getSerialNumber().bitLength()).isLessThanOrEqualTo(159);
        // openssl -subj order C, ST, L, O, OU, CN; countryName as PrintableString, the rest as UTF8String
        org.bouncycastle.asn1.x500.X500Name subject = org.bouncycastle.asn1.x500.X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        assertThat(subject.toString()).isEqualTo("C=DE,ST=Saxony,L=Chemnitz,O=CA,OU=CA,CN=abc.xy");
        var rdns = subject.getRDNs();
        assertThat(rdns[0].getFirst().getValue()).isInstanceOf(org.bouncycastle.asn1.DERPrintableString.class);
        for (int i = 1; i < rdns.length; i++) {
            assertThat(rdns[i].getFirst().getValue()).isInstanceOf(org.bouncycastle.asn1.DERUTF8String.class);
        }
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        assertThat(cert.getSubjectAlternativeNames()).isNull();
        assertThat(cert.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(cert.getKeyUsage()).isNull();
        assertThat(cert.getExtendedKeyUsage()).isNull();
        assertThat(CertificateFacts.extensions(cert)).containsExactlyInAnyOrder("!" + Extension.basicConstraints,
                Extension.authorityKeyIdentifier.getId(), Extension.subjectKeyIdentifier.getId());
        assertThat(CertificateFacts.authorityKeyId(cert)).isEqualTo(CertificateFacts.subjectKeyId(cert));
    }

    @Test
    void fileStemsAreTheProfileNamesAndRoundTrip() {
        assertThat(LabCertificate.GOOD.fileStem()).isEqualTo("good");
        assertThat(LabCertificate.GOOD_RSA.fileStem()).isEqualTo("good-rsa");
        assertThat(LabCertificate.MISSING_INTERMEDIATE.fileStem()).isEqualTo("missing-intermediate");
        for (LabCertificate c : LabCertificate.values()) {
            assertThat(c.fileStem()).isEqualTo(c.name().toLowerCase().replace('_', '-'));
            assertThat(LabCertificate.fromFileStem(c.fileStem())).isSameAs(c);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LabCertificate.fromFileStem("nope"))
                .hasMessageContaining("good-rsa");
    }
}
