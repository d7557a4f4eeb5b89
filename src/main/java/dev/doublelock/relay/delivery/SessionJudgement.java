package dev.doublelock.relay.delivery;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.policy.PolicyEngine;
import dev.doublelock.policy.Rule;
import dev.doublelock.policy.dane.DaneResult;
import dev.doublelock.tls.SessionObservation;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.TlsHandshakeResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turns what happened at STARTTLS into named findings. An established session is judged by the policy
 * engine as it is. A failed handshake is explained by the most specific evidence there is: the findings the
 * {@link JudgingTrustManager} recorded when it rejected the chain; else the alert — {@code protocol_version}
 * while the relay offered TLS 1.3 and 1.2 means the server speaks only older versions
 * (PROTOCOL_NOT_RECOMMENDED, NO_RECOMMENDED_PROTOCOL); {@code handshake_failure}/{@code insufficient_security}
 * before any certificate, while only the policy's suites were offered, means the server accepts none of them
 * (CIPHER_NOT_RECOMMENDED); else the engine's STARTTLS_FAILED.
 */
final class SessionJudgement {
    private SessionJudgement() {
    }

    static List<Finding> judge(PolicyEngine engine, PolicyContext ctx, SessionObservation observation,
                               Optional<TlsHandshakeResult> handshake, JudgingTrustManager tm, int suitesOffered) {
        List<Finding> base = engine.evaluate(observation, ctx);
        if (tm.daneResult().orElse(null) instanceof DaneResult.Matched m) {
            // authenticated by TLSA, not by the Web PKI (RFC 7672 §3): PKIX trust, name and date findings do not count
            base = ChainAuthentication.withoutSuperseded(base, !m.needsNameCheck());
        }
        if (observation.startTls().status() != StartTlsOutcome.Status.HANDSHAKE_FAILED) {
            return base;
        }
        if (tm.rejection().isPresent() && !tm.findings().isEmpty()) {
            return tm.findings();
        }
        String alert = handshake.filter(h -> h instanceof TlsHandshakeResult.Failed)
                .map(h -> ((TlsHandshakeResult.Failed) h).alert()).orElse("");
        String detail = observation.startTls().detail();
        List<Finding> out = new ArrayList<>();
        if (alert.equals("protocol_version")) {
            rule(engine, ctx, "protocol-versions").ifPresent(r -> out.add(new Finding(FindingCode.PROTOCOL_NOT_RECOMMENDED,
                    r.severity(), observation.endpoint(), "the server answered an offer of TLS 1.3 and TLS 1.2 with "
                    + "protocol_version: it speaks only an older version (" + detail + ")", r.reference(),
                    "Enable TLS 1.2 and TLS 1.3 on this server and disable TLS 1.0/1.1 (Postfix: "
                            + "smtpd_tls_protocols = >=TLSv1.2).")));
            rule(engine, ctx, "recommended-protocol").ifPresent(r -> out.add(new Finding(
                    FindingCode.NO_RECOMMENDED_PROTOCOL, r.severity(), observation.endpoint(),
                    "neither TLS 1.3 nor TLS 1.2 could be negotiated", r.reference(),
                    "Enable TLS 1.2 or TLS 1.3 on this server; a current OpenSSL supports them out of the box.")));
        } else if ((alert.equals("handshake_failure") || alert.equals("insufficient_security"))
                && tm.chain().isEmpty() && suitesOffered > 0) {
            rule(engine, ctx, "cipher-suites").ifPresent(r -> out.add(new Finding(FindingCode.CIPHER_NOT_RECOMMENDED,
                    r.severity(), observation.endpoint(), "no cipher suite in common with the " + suitesOffered
                    + " suites the policy allows (" + detail + ")", r.reference(),
                    "Offer ECDHE key exchange with AES-GCM (TLS 1.2) and TLS 1.3; suites without forward secrecy "
                            + "are refused.")));
        }
        return out.isEmpty() ? base : out;
    }

    /** The most severe rule of a check type in the policy, if it has one. */
    private static Optional<Rule> rule(PolicyEngine engine, PolicyContext ctx, String check) {
        Optional<Rule> r = engine.policy().rulesFor(check, ctx.complianceYear()).stream()
                .max(Comparator.comparing(Rule::severity));
        return r.map(x -> engine.policy().mode() == dev.doublelock.policy.Policy.Mode.REPORT_ONLY
                && x.severity() == Severity.FAIL ? withSeverity(x, Severity.WARN) : x);
    }

    private static Rule withSeverity(Rule r, Severity s) {
        return new Rule(r.id(), r.check(), s, r.source(), r.why(), r.fromYear(), r.untilYear(), r.params());
    }

    static List<Finding> fails(List<Finding> findings) {
        return findings.stream().filter(f -> f.severity() == Severity.FAIL).toList();
    }
}
