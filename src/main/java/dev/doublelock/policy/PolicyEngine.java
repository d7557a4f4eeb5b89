package dev.doublelock.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.SessionObservation;

/**
 * The one place that turns observations into findings under a policy, for the checker (what a server accepts)
 * and the relay (one live session) alike. Pure: no sockets, no DNS, no clocks beyond {@link PolicyContext}.
 */
public final class PolicyEngine {
    private final Policy policy;

    public PolicyEngine(Policy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public Policy policy() {
        return policy;
    }

    /** Configuration mode: judge everything a server accepts. */
    public List<Finding> evaluate(ServerObservation o, PolicyContext ctx) {
        return run(new Evaluation(Optional.of(Target.of(o)), Optional.empty(), ctx));
    }

    /** Session mode: judge the session the relay is about to use. */
    public List<Finding> evaluate(SessionObservation s, PolicyContext ctx) {
        return run(new Evaluation(Optional.of(Target.of(s)), Optional.empty(), ctx));
    }

    /** Domain mode: DNS-side requirements (DANE for tr-03108). */
    public List<Finding> evaluate(MailDomainFacts d, PolicyContext ctx) {
        return run(new Evaluation(Optional.empty(), Optional.of(d), ctx));
    }

    private List<Finding> run(Evaluation e) {
        List<Finding> out = new ArrayList<>();
        for (Check check : Checks.ALL) {
            List<Rule> rules = policy.rulesFor(check.type(), e.year());
            if (!rules.isEmpty()) {
                out.addAll(check.run(e, rules));
            }
        }
        if (policy.mode() == Policy.Mode.REPORT_ONLY) {
            out.replaceAll(f -> f.severity() == Severity.FAIL ? f.withSeverity(Severity.WARN) : f);
        }
        return List.copyOf(out);
    }

    /** NON_COMPLIANT if any FAIL; else INCOMPLETE if anything was UNREACHABLE/untested; else COMPLIANT. */
    public static Verdict verdict(List<Finding> findings) {
        if (findings.stream().anyMatch(f -> f.severity() == Severity.FAIL)) return Verdict.NON_COMPLIANT;
        if (findings.stream().anyMatch(f -> f.code() == FindingCode.UNREACHABLE)) return Verdict.INCOMPLETE;
        return Verdict.COMPLIANT;
    }
}
