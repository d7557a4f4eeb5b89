package dev.doublelock.tls.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the JDK's PKIX validator says about each lab chain with the lab CA as the only trust
 * anchor, and that each defect is the only reason it fails.
 */
class LabPkiPkixTest {
    private final LabPki pki = SharedLabPki.get();
    private final X509Certificate labCa = pki.caCertificate();

    private List<X509Certificate> chain(LabCertificate which) {
        return pki.certificate(which).chain();
    }

    /** PKIX does not judge host names, and the JDK's defaults allow SHA-1 and RSA 1024 under a private root. */
    @ParameterizedTest
    @EnumSource(value = LabCertificate.class, names = {"GOOD", "GOOD_RSA", "WRONG_HOST", "SHA1_SIGNATURE", "RSA_1024"})
    void chainsWhoseDefectPkixCannotSeeValidate(LabCertificate which) {
        assertThat(Pkix.validateNow(chain(which), labCa)).isEmpty();
    }

    @Test
    void aSelfSignedLeafHasNoPathToTheLabCaButIsOtherwiseValid() {
        List<X509Certificate> chain = chain(LabCertificate.SELF_SIGNED);
        assertNoTrustAnchor(chain);
        assertThat(Pkix.validateNow(chain, chain.get(0))).isEmpty();
    }

    @Test
    void theUntrustedRootsLeafHasNoPathToTheLabCaButValidatesUnderItsOwnRoot() {
        List<X509Certificate> chain = chain(LabCertificate.UNTRUSTED_ROOT);
        assertNoTrustAnchor(chain);
        assertThat(Pkix.validateNow(chain.subList(0, 1), pki.untrustedRootCertificate())).isEmpty();
    }

    @Test
    void theMissingIntermediateLeafValidatesOnlyWhenTheIntermediateIsAdded() {
        List<X509Certificate> chain = chain(LabCertificate.MISSING_INTERMEDIATE);
        assertThat(chain).hasSize(1);
        assertNoTrustAnchor(chain);
        assertThat(Pkix.validateNow(List.of(chain.get(0), pki.intermediateCertificate()), labCa)).isEmpty();
    }

    @Test
    void theExpiredLeafFailsOnlyAsExpired() {
        CertPathValidatorException failure = Pkix.validateNow(chain(LabCertificate.EXPIRED), labCa).orElseThrow();
        assertThat(failure.getReason()).isEqualTo(BasicReason.EXPIRED);
        assertThat(failure.getIndex()).as("the leaf, after the intermediate passed").isZero();
    }

    @Test
    void theNotYetValidLeafFailsOnlyAsNotYetValid() {
        CertPathValidatorException failure = Pkix.validateNow(chain(LabCertificate.NOT_YET_VALID), labCa).orElseThrow();
        assertThat(failure.getReason()).isEqualTo(BasicReason.NOT_YET_VALID);
        assertThat(failure.getIndex()).isZero();
    }

    @Test
    void shameHasNoPathToTheLabCaIsExpiredAndWasValidOnItsOneDayIn1970() {
        List<X509Certificate> chain = chain(LabCertificate.SHAME);
        assertNoTrustAnchor(chain);
        assertThat(Pkix.validateNow(chain, chain.get(0)).orElseThrow().getReason()).isEqualTo(BasicReason.EXPIRED);
        assertThat(Pkix.validate(chain, chain.get(0), Instant.parse("1970-01-01T12:00:00Z"))).isEmpty();
    }

    private void assertNoTrustAnchor(List<X509Certificate> chain) {
        assertThat(Pkix.validateNow(chain, labCa)).get().extracting(CertPathValidatorException::getReason)
                .isEqualTo(java.security.cert.PKIXReason.NO_TRUST_ANCHOR);
    }
}
