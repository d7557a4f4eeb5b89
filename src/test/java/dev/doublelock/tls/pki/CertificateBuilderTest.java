package dev.doublelock.tls.pki;

import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.security.Provider;
import java.security.Security;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateBuilderTest {
    private static final CertifiedKey ROOT = new CertificateBuilder().subject("/CN=root").certificateAuthority(1).build();

    @Test
    void selfSignedChainsHoldOnlyTheCertificateAndIssuedOnesAppendTheIssuersChain() throws Exception {
        CertifiedKey intermediate = new CertificateBuilder().subject("/CN=intermediate").certificateAuthority(0).issuer(ROOT).build();
        assertThat(intermediate.chain()).containsExactly(intermediate.leaf(), ROOT.leaf());
        CertifiedKey leaf = new CertificateBuilder().dnsNames("mx.example.test").issuer(intermediate.withChain(List.of(intermediate.leaf()))).build();
        assertThat(leaf.chain()).containsExactly(leaf.leaf(), intermediate.leaf());
        leaf.leaf().verify(intermediate.leaf().getPublicKey());
        assertThat(ROOT.chain()).containsExactly(ROOT.leaf());
        assertThat(leaf.leaf().getSubjectX500Principal()).isEqualTo(new X500Principal("CN=mx.example.test"));
        assertThat(Pkix.validateNow(leaf.chain(), ROOT.leaf())).isEmpty();
    }

    @Test
    void caCertificatesCarryTheirPathLength() {
        assertThat(ROOT.leaf().getBasicConstraints()).isEqualTo(1);
        assertThat(new CertificateBuilder().subject("x").certificateAuthority(-1).build().leaf().getBasicConstraints())
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(new CertificateBuilder().subject("x").build().leaf().getBasicConstraints()).isEqualTo(-1);
    }

    @Test
    void theDefaultSignatureFollowsTheSignersKeyAndAvoidsPkcs1() {
        CertifiedKey rsaCa = new CertificateBuilder().rsa(2048).subject("rsa").certificateAuthority(0).build();
        assertThat(rsaCa.leaf().getSigAlgOID()).isEqualTo(CertificateFacts.RSASSA_PSS);
        assertThat(new CertificateBuilder().ecdsa("secp384r1").subject("p384").build().leaf().getSigAlgName()).isEqualTo("SHA384withECDSA");
        CertifiedKey ecUnderRsa = new CertificateBuilder().dnsNames("a.test").issuer(rsaCa).build();
        assertThat(ecUnderRsa.leaf().getSigAlgOID()).isEqualTo(CertificateFacts.RSASSA_PSS);
        assertThat(new CertificateBuilder().dnsNames("a.test").issuer(rsaCa).signatureAlgorithm("SHA256withRSA").build()
                .leaf().getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThatThrownBy(() -> new CertificateBuilder().dnsNames("a.test").issuer(ROOT).signatureAlgorithm("SHA1withRSA").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SHA1withRSA");
    }

    @Test
    void subjectsAcceptOpensslRfc4514AndBareNames() {
        X500Principal expected = new X500Principal("CN=x,O=Example,C=DE");
        assertThat(new CertificateBuilder().subject("/C=DE/O=Example/CN=x").build().leaf().getSubjectX500Principal().getName())
                .isEqualTo(expected.getName());
        assertThat(new CertificateBuilder().subject("CN=x,O=Example,C=DE").build().leaf().getSubjectX500Principal()).isEqualTo(expected);
        assertThat(new CertificateBuilder().subject("just a name").build().leaf().getSubjectX500Principal())
                .isEqualTo(new X500Principal("CN=just a name"));
    }

    @Test
    void settersReturnNewBuildersAndLeaveTheOriginalAlone() {
        CertificateBuilder base = new CertificateBuilder().dnsNames("base.test");
        CertificateBuilder other = base.dnsNames("other.test").rsa(1024);
        assertThat(CertificateFacts.sans(base.build().leaf())).containsExactly("DNS:base.test");
        assertThat(CertificateFacts.key(base.build().leaf().getPublicKey())).isEqualTo("EC secp256r1");
        assertThat(CertificateFacts.sans(other.build().leaf())).containsExactly("DNS:other.test");
        assertThat(base.build().leaf().getSerialNumber()).isNotEqualTo(base.build().leaf().getSerialNumber());
    }

    @Test
    void validityIsKeptToTheSecondAndMustNotBeReversed() {
        Instant from = Instant.parse("2030-05-06T07:08:09.999Z");
        var leaf = new CertificateBuilder().subject("x").validity(from, from.plusSeconds(60)).build().leaf();
        assertThat(leaf.getNotBefore().toInstant()).isEqualTo(Instant.parse("2030-05-06T07:08:09Z"));
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(Instant.parse("2030-05-06T07:09:09Z"));
        assertThatThrownBy(() -> new CertificateBuilder().validity(from, from.minusSeconds(1))).hasMessageContaining("swap");
        assertThatThrownBy(() -> new CertificateBuilder().ipAddresses("mx.example.test")).hasMessageContaining("dnsNames");
        assertThatThrownBy(() -> new CertificateBuilder().build()).hasMessageContaining("subject");
    }

    @Test
    void curvesTheJdkDropsComeFromBouncyCastleWithoutTouchingTheProviderList() throws Exception {
        List<Provider> before = List.of(Security.getProviders());
        CertifiedKey brainpool = new CertificateBuilder().ecdsa("brainpoolP256r1").subject("bp").build();
        brainpool.leaf().verify(brainpool.leaf().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(brainpool.leaf().getPublicKey().getAlgorithm()).isIn("EC", "ECDSA");
        assertThat(List.of(Security.getProviders())).isEqualTo(before);
        assertThatThrownBy(() -> new CertificateBuilder().ecdsa("nonsense").subject("x").build()).hasMessageContaining("secp256r1");
    }
}
