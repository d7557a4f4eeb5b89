package dev.doublelock.tls.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The JDK's PKIX validator with one trust anchor and no revocation checking. */
final class Pkix {
    private Pkix() {
    }

    /** Empty if the path validates at {@code when}, else the validator's exception. */
    static Optional<CertPathValidatorException> validate(List<X509Certificate> path, X509Certificate anchor, Instant when) {
        try {
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(when));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            return Optional.empty();
        } catch (CertPathValidatorException e) {
            return Optional.of(e);
        } catch (GeneralSecurityException e) {
            throw new AssertionError("could not set up PKIX validation", e);
        }
    }

    static Optional<CertPathValidatorException> validateNow(List<X509Certificate> path, X509Certificate anchor) {
        return validate(path, anchor, Instant.now());
    }
}
