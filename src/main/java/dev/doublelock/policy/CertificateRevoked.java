package dev.doublelock.policy;

import java.util.List;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.OcspStaple;

/**
 * CERTIFICATE_REVOKED: the OCSP response the server staples says its own certificate is revoked (RFC 6960 §2.2),
 * and the response is one a client must believe: about this leaf, signed by its CA or a responder the CA authorized.
 * A "revoked" that does not verify is judged by {@link OcspStapleInvalid} instead. Only a full probe reads staples.
 */
final class CertificateRevoked implements Check {
    public String type() { return "certificate-revoked"; }
    public Set<String> params() { return Set.of(); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        return e.tls().flatMap(Target::ocspStaple)
                .filter(s -> s.forLeaf() && s.signatureTrusted() && s.certStatus().equals(java.util.Optional.of(OcspStaple.CertStatus.REVOKED)))
                .flatMap(s -> Evaluation.worst(rules, r -> true).map(rule -> List.of(Evaluation.finding(
                        FindingCode.CERTIFICATE_REVOKED, rule, e.endpoint() + " certificate #0",
                        "the stapled OCSP response says revoked" + s.revocationTime().map(t -> " at " + t).orElse("")
                                + s.revocationReason().map(r -> " (" + r + ")").orElse("") + "; " + s.detail(),
                        "Replace the certificate (and its key, if it was compromised) and staple the new certificate's OCSP "
                                + "response; the MTA's staple cache may also hold an old response."))))
                .orElse(List.of());
    }
}
