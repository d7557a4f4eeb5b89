package dev.doublelock.policy;

import java.util.List;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.ChainAssessment;
import dev.doublelock.tls.ChainAssessment.TrustStatus;

/** UNKNOWN_ISSUER: the chain does not lead to a trusted anchor; evidence says why (self-signed, root, intermediate). */
final class UnknownIssuer implements Check {
    public String type() { return "certificate-trusted"; }
    public Set<String> params() { return Set.of(); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        return e.chain().filter(a -> !a.trusted())
                .flatMap(a -> Evaluation.worst(rules, r -> true).map(rule -> List.of(Evaluation.finding(
                        FindingCode.UNKNOWN_ISSUER, rule, e.certificateSubject(a.certificates().get(0)),
                        label(a.trust()) + ": " + a.trustDetail(), fix(a)))))
                .orElse(List.of());
    }

    private static String label(TrustStatus s) {
        return s.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static String fix(ChainAssessment a) {
        return switch (a.trust()) {
            case SELF_SIGNED -> "Replace the self-signed certificate with one from a public CA (e.g. Let's Encrypt), "
                    + "or publish DANE TLSA records for it.";
            case MISSING_INTERMEDIATE -> "Configure the full chain: send the leaf followed by every intermediate "
                    + "certificate (Postfix: smtpd_tls_chain_files with the fullchain file).";
            case UNTRUSTED_ROOT -> "The chain ends at a root nobody trusts: get a certificate from a public CA, or "
                    + "make the checker trust your private root with --trust.";
            default -> "Send a valid chain: leaf first, then its intermediates, each signed by the next.";
        };
    }
}
