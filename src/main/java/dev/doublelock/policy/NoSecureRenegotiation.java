package dev.doublelock.policy;

import java.util.List;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.TlsVersion;

/**
 * NO_SECURE_RENEGOTIATION: a TLS ≤ 1.2 handshake was possible and the server did not answer with the RFC 5746
 * renegotiation_info extension. Only judged when the prober observed it (empty = unknown, no finding).
 */
final class NoSecureRenegotiation implements Check {
    public String type() { return "secure-renegotiation"; }
    public Set<String> params() { return Set.of(); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        return e.tls()
                .filter(t -> t.versions().stream().anyMatch(v -> v.compareTo(TlsVersion.TLS_1_3) < 0))
                .filter(t -> t.secureRenegotiation().equals(java.util.Optional.of(false)))
                .flatMap(t -> Evaluation.worst(rules, r -> true).map(rule -> List.of(Evaluation.finding(
                        FindingCode.NO_SECURE_RENEGOTIATION, rule, t.endpoint(),
                        "no renegotiation_info (RFC 5746) in the ServerHello",
                        "Update the server's TLS library: every maintained one supports RFC 5746 secure renegotiation."))))
                .orElse(List.of());
    }
}
