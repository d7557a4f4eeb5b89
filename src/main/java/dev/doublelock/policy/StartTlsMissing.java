package dev.doublelock.policy;

import java.util.List;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.StartTlsOutcome;

/** NO_STARTTLS: EHLO did not advertise STARTTLS, so mail to this server travels in plain text. */
final class StartTlsMissing implements Check {
    public String type() { return "starttls-offered"; }
    public Set<String> params() { return Set.of(); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        return e.target().filter(t -> t.startTls() != null && t.startTls().status() == StartTlsOutcome.Status.NOT_OFFERED)
                .flatMap(t -> Evaluation.worst(rules, r -> true).map(rule -> Evaluation.finding(FindingCode.NO_STARTTLS,
                        rule, t.endpoint(), "EHLO response without STARTTLS" + detail(t),
                        "Enable STARTTLS on the receiving MTA (Postfix: smtpd_tls_security_level = may, with a "
                                + "certificate and key configured).")))
                .map(List::of).orElse(List.of());
    }

    private static String detail(Target t) {
        return t.startTls().detail().isBlank() ? "" : ": " + t.startTls().detail();
    }
}
