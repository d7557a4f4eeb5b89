package dev.doublelock.policy;

import java.util.List;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.CertificateFacts;
import dev.doublelock.tls.HostnameMatcher;

/**
 * BAD_CERT_DOMAIN: the leaf does not name the reference identifier (MX host). Rule param {@code cnFallback}
 * (default false, as RFC 9525: the CN-ID is not used): true consults the CN when the certificate has no DNS SAN,
 * as RFC 6125 §6.4.4, RFC 7672 §3.2.3 and Postfix do.
 * Skipped when no reference name is known.
 */
final class BadCertDomain implements Check {
    public String type() { return "certificate-name"; }
    public Set<String> params() { return Set.of("cnFallback"); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        var t = e.tls().filter(x -> x.referenceName() != null && !x.referenceName().isBlank());
        if (t.isEmpty() || e.chain().isEmpty()) return List.of();
        String ref = t.get().referenceName();
        CertificateFacts leaf = e.chain().get().certificates().get(0);
        return Evaluation.worst(rules, r -> !HostnameMatcher.matches(t.get().chain().get(0), ref, r.boolParam("cnFallback", false)))
                .map(rule -> List.of(Evaluation.finding(FindingCode.BAD_CERT_DOMAIN, rule, e.certificateSubject(leaf),
                        "reference name " + ref + "; certificate names: " + names(leaf),
                        "Get a certificate whose subjectAltName contains " + ref + " (the MX host name).")))
                .orElse(List.of());
    }

    private static String names(CertificateFacts c) {
        if (c.dnsNames().isEmpty() && c.ipAddresses().isEmpty()) return "no subjectAltName, subject " + c.label();
        var all = new java.util.ArrayList<>(c.dnsNames());
        all.addAll(c.ipAddresses());
        return String.join(", ", all);
    }
}
