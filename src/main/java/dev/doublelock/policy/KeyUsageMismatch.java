package dev.doublelock.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.CertificateFacts;

/**
 * KEY_USAGE_MISMATCH: the server's own certificate (the first one sent) says it may not serve TLS. An
 * extendedKeyUsage without serverAuth (or anyExtendedKeyUsage) restricts it to other purposes (RFC 5280 §4.2.1.12);
 * a keyUsage without digitalSignature forbids the signature every ECDHE, DHE and TLS 1.3 handshake needs, and for an
 * RSA key without keyEncipherment as well, no key exchange at all is left (§4.2.1.3). Absent extensions restrict
 * nothing. Verifying clients refuse such a certificate, whatever the policy says about the rest.
 */
final class KeyUsageMismatch implements Check {
    public String type() { return "certificate-usage"; }
    public Set<String> params() { return Set.of(); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        List<Finding> out = new ArrayList<>();
        Optional<CertificateFacts> leaf = e.chain().flatMap(a -> a.certificates().stream().filter(c -> c.index() == 0).findFirst());
        leaf.ifPresent(c -> reason(c).ifPresent(why -> Evaluation.worst(rules, r -> true).ifPresent(rule -> out.add(
                Evaluation.finding(FindingCode.KEY_USAGE_MISMATCH, rule, e.certificateSubject(c), why,
                        "Have the certificate reissued for TLS servers: extended key usage serverAuth and key usage "
                                + "digitalSignature (RSA keys also keyEncipherment), as every public CA does.")))));
        return out;
    }

    static Optional<String> reason(CertificateFacts leaf) {
        List<String> eku = leaf.extendedKeyUsage();
        if (!eku.isEmpty() && !eku.contains("serverAuth") && !eku.contains("anyExtendedKeyUsage")) {
            return Optional.of("extended key usage " + String.join(", ", eku) + " does not include serverAuth");
        }
        List<String> ku = leaf.keyUsage();
        if (ku.isEmpty() || ku.contains("digitalSignature")) return Optional.empty();
        boolean rsa = "RSA".equals(leaf.keyAlgorithm());
        if (rsa && ku.contains("keyEncipherment")) return Optional.empty(); // static RSA only; the suites' checks judge that
        return Optional.of("key usage " + String.join(", ", ku) + " has no digitalSignature"
                + (rsa ? " and no keyEncipherment: the key may neither sign a key exchange nor decrypt one"
                : ": the " + leaf.keyAlgorithm() + " key may not sign the key exchange"));
    }
}
