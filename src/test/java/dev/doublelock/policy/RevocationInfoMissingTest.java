package dev.doublelock.policy;

import java.time.Duration;
import java.util.List;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.tls.CertFixture;
import dev.doublelock.tls.CertificateFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.doublelock.policy.LabExpectationsTest.CTX;
import static dev.doublelock.policy.LabExpectationsTest.LAB;
import static dev.doublelock.tls.CertFixture.NOW;
import static dev.doublelock.tls.CertFixture.cert;
import static org.assertj.core.api.Assertions.assertThat;

/** NO_REVOCATION_INFO (issue 13): generated leaves with and without a CRL distribution point / OCSP URL. */
class RevocationInfoMissingTest {
    static List<Finding> revocation(String policy, CertFixture.Builder leaf) {
        Obs o = Obs.goodTls().chain(leaf.build().cert(), LAB.intermediate().cert());
        return new PolicyEngine(Policies.builtIn(policy)).evaluate(o.build(), CTX).stream()
                .filter(f -> f.code() == FindingCode.NO_REVOCATION_INFO).toList();
    }

    static CertFixture.Builder leaf() {
        return cert("CN=localhost").key(CertFixture.ec("secp256r1", "leaf")).issuedBy(LAB.intermediate()).dns("localhost");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bsi", "bsi-strict", "tr-03108", "opportunistic"})
    void neitherCrlNorOcsp_warnsUnderEveryPolicy(String policy) {
        List<Finding> f = revocation(policy, leaf().revocation(null, null));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.WARN);
            assertThat(x.subject()).contains("certificate #0", "CN=localhost");
            assertThat(x.evidence()).contains("neither a CRL distribution point nor an OCSP URL");
            assertThat(x.rule()).contains("rfc5280.cert.revocation-info", "RFC 5280 §4.2.1.13");
        });
    }

    @Test
    void aCrlOrAnOcspUrlEachSuffice_andTheFactsSayWhich() {
        CertFixture.Builder crl = leaf().revocation("http://crl.example/ca.crl", null);
        CertFixture.Builder ocsp = leaf().revocation(null, "http://ocsp.example/");
        assertThat(revocation("bsi", crl)).isEmpty();
        assertThat(revocation("bsi", ocsp)).isEmpty();
        assertThat(revocation("bsi", leaf().revocation("http://crl.example/ca.crl", "http://ocsp.example/"))).isEmpty();
        CertificateFacts c = CertificateFacts.of(0, crl.build().cert());
        CertificateFacts o = CertificateFacts.of(0, ocsp.build().cert());
        assertThat(c.crlDistributionPoints()).isTrue();
        assertThat(c.ocspUrl()).isFalse();
        assertThat(o.crlDistributionPoints()).isFalse();
        assertThat(o.ocspUrl()).isTrue();
    }

    @Test
    void selfSignedAndShortLivedLeavesAreExempt_aWeekAndADayIsNot() {
        CertFixture.Builder selfSigned = cert("CN=localhost").key(CertFixture.ec("secp256r1", "leaf")).dns("localhost");
        assertThat(revocation("bsi", selfSigned)).isEmpty();
        assertThat(revocation("bsi", leaf().revocation(null, null).validity(NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(6))))).isEmpty();
        assertThat(revocation("bsi", leaf().revocation(null, null).validity(NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(7))))).hasSize(1);
    }
}
