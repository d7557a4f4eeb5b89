package dev.doublelock.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.StartTlsOutcome;

/** UNREACHABLE: the server could not be checked at all, or parts were not tested. Makes a report incomplete. */
final class Reachable implements Check {
    public String type() { return "reachable"; }
    public Set<String> params() { return Set.of(); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        if (rules.isEmpty() || e.target().isEmpty()) return List.of();
        Rule rule = rules.get(0);
        Target t = e.target().get();
        List<Finding> out = new ArrayList<>();
        if (t.startTls() == null || t.startTls().status() == StartTlsOutcome.Status.UNREACHABLE) {
            String detail = t.startTls() == null ? "no STARTTLS outcome recorded" : t.startTls().detail();
            out.add(Evaluation.finding(FindingCode.UNREACHABLE, rule, t.endpoint(), detail,
                    "Could not check this server (connection or DNS failure); try again or check the address."));
        }
        for (String item : t.untested()) {
            out.add(Evaluation.finding(FindingCode.UNREACHABLE, rule, t.endpoint(), "not tested: " + item,
                    "Part of the server's TLS configuration could not be tested, so the result is incomplete."));
        }
        return out;
    }
}
