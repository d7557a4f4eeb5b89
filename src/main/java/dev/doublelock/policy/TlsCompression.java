package dev.doublelock.policy;

import java.util.List;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;

/** TLS_COMPRESSION: the server accepted DEFLATE compression (CRIME). Only judged when observed. */
final class TlsCompression implements Check {
    public String type() { return "compression"; }
    public Set<String> params() { return Set.of(); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        return e.tls().filter(t -> t.compression().equals(java.util.Optional.of(true)))
                .flatMap(t -> Evaluation.worst(rules, r -> true).map(rule -> List.of(Evaluation.finding(
                        FindingCode.TLS_COMPRESSION, rule, t.endpoint(),
                        "chose DEFLATE when the client offered it (CRIME, CVE-2012-4929)",
                        "Turn TLS compression off (OpenSSL: SSL_OP_NO_COMPRESSION, the default since 1.1.0)."))))
                .orElse(List.of());
    }
}
