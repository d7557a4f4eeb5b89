package dev.doublelock.policy;

import java.util.List;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;

/** HEARTBEAT_EXTENSION: the server echoes the RFC 6520 heartbeat extension (BSI: should not be supported). */
final class HeartbeatExtension implements Check {
    public String type() { return "heartbeat"; }
    public Set<String> params() { return Set.of(); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        return e.tls().filter(t -> t.heartbeat().equals(java.util.Optional.of(true)))
                .flatMap(t -> Evaluation.worst(rules, r -> true).map(rule -> List.of(Evaluation.finding(
                        FindingCode.HEARTBEAT_EXTENSION, rule, t.endpoint(),
                        "the heartbeat extension (RFC 6520) is echoed in the ServerHello",
                        "Build or configure the TLS library without heartbeats (OpenSSL: no-heartbeats, the default since 1.1.1)."))))
                .orElse(List.of());
    }
}
