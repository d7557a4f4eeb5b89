package dev.doublelock.relay.delivery;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.Severity;
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
 * failing finding. An attempt that never got to judge TLS (connection refused, a 4xx greeting) counts for nothing.
 */
final class TlsReportEntry {
    private TlsReportEntry() {
    }

    static Optional<SessionResult> of(TransportRequirement req, String mxHost, HopOutcome outcome, Instant at) {
        ReportPolicy policy = req.report();
        List<Finding> failing = outcome.findings().stream().filter(f -> f.severity() == Severity.FAIL)
                .filter(f -> f.code().tlsRptResult().isPresent()).toList();
        boolean judgedTls = outcome.tls().protocol().isPresent() || !failing.isEmpty();
        boolean failed = switch (outcome) {
            case HopOutcome.Sent s -> s.wouldRefuse() || !failing.isEmpty() && outcome.tls().protocol().isEmpty();
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
