package dev.doublelock.policy.transport;

import java.util.List;
import java.util.Objects;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.PolicyEngine;
import dev.doublelock.policy.Verdict;

/**
 * The decision for one host under one requirement.
 *
 * @param requirement     what the host was held to
 * @param action          deliver, refuse or defer
 * @param findings        every finding, with its final severity
 * @param authenticatedBy how the chain was authenticated ({@link Authentication#NONE} if it was not)
 * @param wouldRefuse     the local policy is in TESTING mode and would have refused this session
 * @param reason          one sentence for logs, queue and DSN
 */
public record TransportVerdict(TransportRequirement requirement, Action action, List<Finding> findings,
                               Authentication authenticatedBy, boolean wouldRefuse, String reason) {
    public TransportVerdict {
        Objects.requireNonNull(requirement, "requirement");
        Objects.requireNonNull(action, "action");
        findings = List.copyOf(findings);
        Objects.requireNonNull(authenticatedBy, "authenticatedBy");
        Objects.requireNonNull(reason, "reason");
    }

    /** COMPLIANT, NON_COMPLIANT (a FAIL) or INCOMPLETE (something UNREACHABLE): the checker's word. */
    public Verdict compliance() {
        return PolicyEngine.verdict(findings);
    }

    public List<Finding> fails() {
        return findings.stream().filter(f -> f.severity() == Severity.FAIL).toList();
    }

    /** The distinct FAIL codes, in order of first appearance. */
    public List<FindingCode> failCodes() {
        return fails().stream().map(Finding::code).distinct().toList();
    }

    /**
     * What a sender does, in words: {@code would deliver, authenticated by DANE-EE}, {@code would refuse:
     * WEAK_KEY_EXCHANGE}, {@code would defer: ...}.
     */
    public String summary() {
        return switch (action) {
            case DELIVER -> "would deliver" + switch (authenticatedBy) {
                case PKIX -> ", authenticated by PKIX";
                case DANE_EE -> ", authenticated by DANE-EE";
                case DANE_TA -> ", authenticated by DANE-TA";
                case NONE -> ", unauthenticated";
            } + (wouldRefuse ? " (testing mode: would refuse under enforce: " + codes() + ")" : "");
            case REFUSE -> "would refuse: " + (failCodes().isEmpty() ? reason : codes());
            case DEFER -> "would defer: " + reason;
        };
    }

    private String codes() {
        return String.join(", ", failCodes().stream().map(Enum::name).toList());
    }
}
