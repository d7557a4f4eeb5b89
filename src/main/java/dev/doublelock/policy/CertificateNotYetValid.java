package dev.doublelock.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.CertificateFacts;

/** NOT_YET_VALID_CERTIFICATE: a certificate on the path (not a server-sent anchor) has notBefore in the future. */
final class CertificateNotYetValid implements Check {
    public String type() { return "certificate-not-yet-valid"; }
    public Set<String> params() { return Set.of(); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        List<Finding> out = new ArrayList<>();
        e.chain().ifPresent(a -> Evaluation.worst(rules, r -> true).ifPresent(rule -> {
            for (int i = 0; i < a.certificates().size(); i++) {
                CertificateFacts c = a.certificates().get(i);
                if (!a.isAnchor(i) && c.notBefore().isAfter(e.ctx().now())) {
                    out.add(Evaluation.finding(FindingCode.NOT_YET_VALID_CERTIFICATE, rule, e.certificateSubject(c),
                            "notBefore " + c.notBefore(), "The certificate is not valid yet: check the server's "
                                    + "clock and the certificate's start date, or install the currently valid one."));
                }
            }
        }));
        return out;
    }
}
