package dev.doublelock.policy;

import java.util.List;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.tls.CertFixture;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.doublelock.policy.LabExpectationsTest.CTX;
import static dev.doublelock.policy.LabExpectationsTest.LAB;
import static dev.doublelock.tls.CertFixture.cert;
import static org.assertj.core.api.Assertions.assertThat;

/** KEY_USAGE_MISMATCH (issue 13): leaves whose keyUsage / extendedKeyUsage forbid TLS server use, from real certificates. */
class KeyUsageMismatchTest {
    static List<Finding> usage(String policy, CertFixture.Builder leaf) {
        Obs o = Obs.goodTls().chain(leaf.issuedBy(LAB.intermediate()).dns("localhost").build().cert(), LAB.intermediate().cert());
        return new PolicyEngine(Policies.builtIn(policy)).evaluate(o.build(), CTX).stream()
                .filter(f -> f.code() == FindingCode.KEY_USAGE_MISMATCH).toList();
    }

    static CertFixture.Builder ecLeaf() {
        return cert("CN=localhost").key(CertFixture.ec("secp256r1", "leaf"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bsi", "bsi-strict", "tr-03108"})
    void clientAuthOnly_failsEveryEnforcingPolicy(String policy) {
        List<Finding> f = usage(policy, ecLeaf().usage(KeyUsage.digitalSignature, KeyPurposeId.id_kp_clientAuth));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.FAIL);
            assertThat(x.evidence()).contains("clientAuth", "serverAuth");
            assertThat(x.rule()).contains("rfc5280.cert.usage");
        });
    }

    @Test
    void ecKeyWithoutDigitalSignature_fails() {
        assertThat(usage("bsi", ecLeaf().usage(KeyUsage.keyAgreement, KeyPurposeId.id_kp_serverAuth))).singleElement()
                .satisfies(x -> assertThat(x.evidence()).contains("keyAgreement", "no digitalSignature"));
    }

    @Test
    void rsaKeyWithNeitherSignatureNorEncipherment_fails_butKeyEnciphermentAloneIsNotThisFinding() {
        CertFixture.Builder neither = cert("CN=localhost").key(CertFixture.rsa(3072)).usage(KeyUsage.dataEncipherment,
                KeyPurposeId.id_kp_serverAuth);
        assertThat(usage("bsi", neither)).singleElement().satisfies(x -> assertThat(x.evidence()).contains("no keyEncipherment"));
        CertFixture.Builder staticRsaOnly = cert("CN=localhost").key(CertFixture.rsa(3072)).usage(KeyUsage.keyEncipherment,
                KeyPurposeId.id_kp_serverAuth);
        assertThat(usage("bsi", staticRsaOnly)).isEmpty();
    }

    @Test
    void serverAuthAndDigitalSignature_orNoExtensionsAtAll_pass() {
        assertThat(usage("bsi", ecLeaf())).isEmpty();                       // the builder's default: serverAuth, digitalSignature
        assertThat(usage("bsi", ecLeaf().usage(0))).isEmpty();              // neither extension: nothing restricted
        assertThat(usage("bsi", ecLeaf().usage(KeyUsage.digitalSignature, KeyPurposeId.anyExtendedKeyUsage))).isEmpty();
    }
}
