package dev.doublelock.relay.delivery;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.transport.Mechanism;
import dev.doublelock.policy.transport.ReportPolicy;
import dev.doublelock.policy.transport.TransportRequirement;
import dev.doublelock.tlsrpt.SessionResult;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one delivery attempt adds to the TLS reports (RFC 8460), from the transport requirement (its
 * {@link ReportPolicy}) and how the attempt ended: a TLS session that met the requirement is a success; one the
 * policy refused (or, in testing mode, would have refused) is a failure with the RFC 8460 result type of its first
 * failing finding; under an MTA-STS policy in mode testing, an MX the policy does not list is a failure too, though
 * the mail went (RFC 8461 §5). An attempt that never got to judge TLS (connection refused, a 4xx greeting) counts for nothing.
 */
final class TlsReportEntry {
    private TlsReportEntry() {
    }

    static Optional<SessionResult> of(TransportRequirement req, String mxHost, HopOutcome outcome, Instant at) {
        ReportPolicy policy = req.report();
        // an MTA-STS policy in mode testing decides nothing, but what it would have refused is a failure to report
        // (RFC 8461 §5: "testing" senders deliver and report); the requirement notes it for this host
        List<Finding> stsTesting = policy.type() == ReportPolicy.Type.STS && req.mechanism() == Mechanism.LOCAL_POLICY
                ? req.notes().stream().filter(f -> f.code() == FindingCode.MX_NOT_IN_STS_POLICY).toList() : List.of();
        List<Finding> failing = java.util.stream.Stream.concat(stsTesting.stream(), outcome.findings().stream()
                        .filter(f -> f.severity() == Severity.FAIL))
                .filter(f -> f.code().tlsRptResult().isPresent()).toList();
        boolean judgedTls = outcome.tls().protocol().isPresent() || !failing.isEmpty();
        boolean failed = switch (outcome) {
            case HopOutcome.Sent s -> s.wouldRefuse() || !stsTesting.isEmpty()
                    || !failing.isEmpty() && outcome.tls().protocol().isEmpty();
            case HopOutcome.Refused r -> true;
            case HopOutcome.Failed f -> !failing.isEmpty();
        };
        if (!judgedTls && !(outcome instanceof HopOutcome.Refused)) {
            return Optional.empty();
        }
        Optional<SessionResult.Failure> failure = Optional.empty();
        if (failed) {
            String type = failing.stream().map(f -> f.code().tlsRptResult().orElseThrow()).findFirst()
                    .orElse("validation-failure");
            String reason = failing.stream().map(f -> f.code().name()).distinct()
                    .collect(java.util.stream.Collectors.joining(" "));
            failure = Optional.of(new SessionResult.Failure(type, "", mxHost, outcome.ip(),
                    reason.isEmpty() ? "refused by the sending relay's policy" : reason));
        }
        return Optional.of(new SessionResult(at, policy.type().token(), policy.policyStrings(),
                policy.policyDomain() == null ? req.domain() : policy.policyDomain(), mxHost, failure));
    }
}
