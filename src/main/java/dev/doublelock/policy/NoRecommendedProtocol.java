package dev.doublelock.policy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.TlsVersion;

/**
 * NO_RECOMMENDED_PROTOCOL: none of the recommended versions (rule param {@code recommended}) is accepted.
 * Configuration mode only (one session cannot show what else a server would accept). Skipped when nothing
 * was accepted but parts were untested (the report is then incomplete instead).
 */
final class NoRecommendedProtocol implements Check {
    public String type() { return "recommended-protocol"; }
    public Set<String> params() { return Set.of("recommended"); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        var target = e.tls().filter(t -> t.mode() == Target.Mode.CONFIGURATION)
                .filter(t -> !(t.versions().isEmpty() && !t.untested().isEmpty()));
        if (target.isEmpty()) return List.of();
        Target t = target.get();
        return Evaluation.worst(rules, r -> r.stringList("recommended").stream().map(TlsVersion::forJavaName)
                        .noneMatch(t.versions()::contains))
                .map(rule -> List.of(Evaluation.finding(FindingCode.NO_RECOMMENDED_PROTOCOL, rule, t.endpoint(),
                        "accepted: " + (t.versions().isEmpty() ? "none"
                                : t.versions().stream().map(TlsVersion::displayName).collect(Collectors.joining(", ")))
                                + "; recommended: " + String.join(", ", rule.stringList("recommended")),
                        "Enable " + String.join(" or ", rule.stringList("recommended"))
                                + " on this server; a current OpenSSL/JDK supports them out of the box.")))
                .orElse(List.of());
    }
}
