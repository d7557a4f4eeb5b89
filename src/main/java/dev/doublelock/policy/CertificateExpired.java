package dev.doublelock.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.CertificateFacts;

/** EXPIRED_CERTIFICATE: a certificate on the path (not a server-sent anchor) is past its notAfter. */
final class CertificateExpired implements Check {
    public String type() { return "certificate-expired"; }
    public Set<String> params() { return Set.of(); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        List<Finding> out = new ArrayList<>();
        e.chain().ifPresent(a -> Evaluation.worst(rules, r -> true).ifPresent(rule -> {
            for (int i = 0; i < a.certificates().size(); i++) {
                CertificateFacts c = a.certificates().get(i);
                if (!a.isAnchor(i) && c.notAfter().isBefore(e.ctx().now())) {
                    out.add(Evaluation.finding(FindingCode.EXPIRED_CERTIFICATE, rule, e.certificateSubject(c),
                            "notAfter " + c.notAfter(), c.index() == 0
                                    ? "Renew the server certificate and automate renewal (e.g. ACME)."
                                    : "Replace the expired intermediate with the current one from your CA."));
                }
            }
        }));
        return out;
    }
}
