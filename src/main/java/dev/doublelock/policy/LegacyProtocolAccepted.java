package dev.doublelock.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.TlsVersion;

/**
 * PROTOCOL_NOT_RECOMMENDED: a protocol version the policy does not recommend is accepted (configuration mode)
 * or was negotiated (session mode). Rule param {@code notRecommended}: version names ("TLS 1.0", "TLSv1.1").
 */
final class LegacyProtocolAccepted implements Check {
    public String type() { return "protocol-versions"; }
    public Set<String> params() { return Set.of("notRecommended"); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        if (e.tls().isEmpty()) return List.of();
        Target t = e.tls().get();
        List<Finding> out = new ArrayList<>();
        for (TlsVersion v : t.versions()) {
            Evaluation.worst(rules, r -> r.stringList("notRecommended").stream()
                            .anyMatch(name -> TlsVersion.forJavaName(name) == v))
                    .ifPresent(rule -> out.add(Evaluation.finding(FindingCode.PROTOCOL_NOT_RECOMMENDED, rule,
                            t.endpoint(), v.displayName() + (t.mode() == Target.Mode.SESSION ? " negotiated" : " accepted"),
                            "Disable " + v.displayName() + " on this server and offer TLS 1.3 and TLS 1.2 only "
                                    + "(Postfix: smtpd_tls_protocols = >=TLSv1.2).")));
        }
        return out;
    }
}
