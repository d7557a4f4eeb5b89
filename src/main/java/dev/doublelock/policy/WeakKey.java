package dev.doublelock.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.CertificateFacts;

/**
 * WEAK_KEY: a certificate key on the path (including a server-sent root: a weak anchor key weakens every
 * signature under it) is shorter than {@code rsaMinBits}/{@code dsaMinBits}/{@code ecMinBits}, or its algorithm
 * is in {@code forbiddenAlgorithms} (e.g. DSA). One finding per certificate, most severe rule.
 */
final class WeakKey implements Check {
    public String type() { return "certificate-key"; }
    public Set<String> params() { return Set.of("rsaMinBits", "dsaMinBits", "ecMinBits", "forbiddenAlgorithms"); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        List<Finding> out = new ArrayList<>();
        e.chain().ifPresent(a -> {
            for (CertificateFacts c : a.certificates()) {
                Evaluation.worst(rules, r -> reason(r, c).isPresent()).ifPresent(rule -> out.add(
                        Evaluation.finding(FindingCode.WEAK_KEY, rule, e.certificateSubject(c), c.keyDescription(),
                                "Issue a new key and certificate: " + reason(rule, c).orElseThrow()
                                        + "; ECDSA P-256/P-384 or RSA 3072+ meet it.")));
            }
        });
        return out;
    }

    static Optional<String> reason(Rule rule, CertificateFacts c) {
        if (rule.stringList("forbiddenAlgorithms").stream().anyMatch(c.keyAlgorithm()::equalsIgnoreCase)) {
            return Optional.of(c.keyAlgorithm() + " keys are not allowed by this policy");
        }
        String param = switch (c.keyAlgorithm()) {
            case "RSA" -> "rsaMinBits";
            case "DSA" -> "dsaMinBits";
            case "EC", "Ed25519", "Ed448" -> "ecMinBits";
            default -> null;
        };
        if (param == null) return Optional.empty();
        return rule.intParam(param).filter(min -> c.keyBits() < min)
                .map(min -> c.keyAlgorithm() + " keys need at least " + min + " bit");
    }
}
