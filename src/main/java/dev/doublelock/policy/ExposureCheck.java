package dev.doublelock.policy;

import java.util.List;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.Exposure;
import dev.doublelock.tls.Vulnerability;

/**
 * The shape of the vulnerability checks: a finding when the prober's probe for {@code vulnerability} found the
 * server vulnerable, with the probe's evidence. Only a full probe has these facts (a live session does not), so
 * they are the checker's; a probe that could not finish left an "untested" entry, which makes the report
 * incomplete, never compliant.
 */
abstract class ExposureCheck implements Check {
    private final String type;
    private final Vulnerability vulnerability;
    private final FindingCode code;
    private final String fix;

    ExposureCheck(String type, Vulnerability vulnerability, FindingCode code, String fix) {
        this.type = type;
        this.vulnerability = vulnerability;
        this.code = code;
        this.fix = fix;
    }

    public String type() {
        return type;
    }

    public Set<String> params() {
        return Set.of();
    }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        return e.tls().flatMap(t -> {
                    Exposure x = t.vulnerabilities().get(vulnerability);
                    return x != null && x.vulnerable() ? java.util.Optional.of(x) : java.util.Optional.<Exposure>empty();
                })
                .flatMap(x -> Evaluation.worst(rules, r -> true).map(rule -> List.of(Evaluation.finding(code, rule,
                        e.endpoint(), x.evidence() + " (" + vulnerability.reference() + ")", fix))))
                .orElse(List.of());
    }
}
