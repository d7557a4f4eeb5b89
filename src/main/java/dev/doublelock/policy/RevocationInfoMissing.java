package dev.doublelock.policy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.CertificateFacts;

/**
 * NO_REVOCATION_INFO: the server's own certificate (the first one sent) names neither a CRL (cRLDistributionPoints,
 * RFC 5280 §4.2.1.13) nor an OCSP responder (authorityInfoAccess, §4.2.2.1), so no client can learn that it was
 * revoked. A self-signed leaf has no issuer that could revoke it (its trust is judged by certificate-trusted), and
 * short-lived certificates (at most {@link #SHORT_LIVED} of validity) need neither under the CA/Browser Forum
 * Baseline Requirements, so neither is this finding. testssl.sh: {@code cert_crlDistributionPoints} "Neither CRL nor
 * OCSP URI provided".
 */
final class RevocationInfoMissing implements Check {
    /** The Baseline Requirements' short-lived subscriber certificates (§7.1.2.11.2, 7 days since 2026-03-15). */
    static final Duration SHORT_LIVED = Duration.ofDays(7);

    public String type() { return "certificate-revocation-info"; }
    public Set<String> params() { return Set.of(); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        Optional<CertificateFacts> leaf = e.chain().flatMap(a -> a.certificates().stream().filter(c -> c.index() == 0).findFirst());
        return leaf.filter(RevocationInfoMissing::lacksRevocationInfo)
                .flatMap(c -> Evaluation.worst(rules, r -> true).map(rule -> List.of(Evaluation.finding(
                        FindingCode.NO_REVOCATION_INFO, rule, e.certificateSubject(c),
                        "the certificate has neither a CRL distribution point nor an OCSP URL (authority information access)",
                        "Use a certificate from a CA that publishes revocation information (every public CA does: a CRL "
                                + "distribution point, an OCSP URL or both); for a private CA, add a cRLDistributionPoints "
                                + "extension to the leaves it issues."))))
                .orElse(List.of());
    }

    static boolean lacksRevocationInfo(CertificateFacts leaf) {
        if (leaf.crlDistributionPoints() || leaf.ocspUrl() || leaf.selfSigned()) return false;
        return Duration.between(leaf.notBefore(), leaf.notAfter()).compareTo(SHORT_LIVED) > 0;
    }
}
