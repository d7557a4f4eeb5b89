package dev.doublelock.policy;

import java.util.List;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.StartTlsOutcome.Status;

/** STARTTLS_FAILED: STARTTLS was advertised but refused, or no TLS handshake could complete after 220. */
final class StartTlsFailed implements Check {
    public String type() { return "starttls-works"; }
    public Set<String> params() { return Set.of(); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        return e.target()
                .filter(t -> t.startTls() != null
                        && (t.startTls().status() == Status.REFUSED || t.startTls().status() == Status.HANDSHAKE_FAILED))
                .flatMap(t -> Evaluation.worst(rules, r -> true).map(rule -> Evaluation.finding(
                        FindingCode.STARTTLS_FAILED, rule, t.endpoint(), evidence(t.startTls().status(), t.startTls().detail()),
                        t.startTls().status() == Status.REFUSED
                                ? "The server advertises STARTTLS but refuses it: check that its certificate and key "
                                        + "files are readable and its TLS library is working (see the MTA's log)."
                                : "STARTTLS was accepted but no TLS handshake completed: the server's protocol "
                                        + "versions, cipher suites or certificate are unusable; see its TLS log.")))
                .map(List::of).orElse(List.of());
    }

    private static String evidence(Status status, String detail) {
        String what = status == Status.REFUSED ? "STARTTLS refused" : "TLS handshake failed";
        return detail == null || detail.isBlank() ? what : what + ": " + detail;
    }
}
