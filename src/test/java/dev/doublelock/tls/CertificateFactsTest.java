package dev.doublelock.tls;

import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Key usage, extended key usage and revocation information as the report shows them (testssl's cert_keyUsage, cert_crlDistributionPoints, cert_ocspURL). */
class CertificateFactsTest {
    @Test
    void keyUsageAndRevocationInformationAreReadFromTheExtensions() {
        CertifiedKey with = new CertificateBuilder().rsa(2048).subject("CN=mx.example").dnsNames("mx.example")
                .revocationUrls("http://crl.example/ca.crl", "http://ocsp.example/").build();
        CertificateFacts f = CertificateFacts.of(0, with.leaf());
        assertThat(f.keyUsage()).containsExactly("digitalSignature", "keyEncipherment");
        assertThat(f.extendedKeyUsage()).containsExactly("serverAuth");
        assertThat(f.crlDistributionPoints()).isTrue();
        assertThat(f.ocspUrl()).isTrue();
        assertThat(f.embeddedScts()).isFalse();

        CertifiedKey without = new CertificateBuilder().ecdsa("secp256r1").subject("CN=mx.example").dnsNames("mx.example").build();
        CertificateFacts g = CertificateFacts.of(0, without.leaf());
        assertThat(g.keyUsage()).containsExactly("digitalSignature");
        assertThat(g.crlDistributionPoints()).isFalse();
        assertThat(g.ocspUrl()).isFalse();

        CertifiedKey ca = new CertificateBuilder().ecdsa("secp256r1").subject("CN=ca").certificateAuthority(0).build();
        assertThat(CertificateFacts.of(1, ca.leaf()).keyUsage()).containsExactly("keyCertSign", "cRLSign");
        assertThat(CertificateFacts.of(1, ca.leaf()).extendedKeyUsage()).isEmpty();
    }
}
