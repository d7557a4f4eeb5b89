package dev.doublelock.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;

/**
 * NO_DANE: the policy requires DNSSEC-signed MX records and DANE TLSA (BSI TR-03108), and the domain facts say
 * they are absent. Unknown facts produce nothing.
 */
final class DaneRequired implements Check {
    public String type() { return "dane-required"; }
    public Set<String> params() { return Set.of(); }

    public List<Finding> run(Evaluation e, List<Rule> rules) {
        Optional<Rule> rule = Evaluation.worst(rules, r -> true);
        if (e.domain().isEmpty() || rule.isEmpty()) return List.of();
        MailDomainFacts d = e.domain().get();
        List<Finding> out = new ArrayList<>();
        if (d.dnssecValid().equals(Optional.of(false))) {
            out.add(Evaluation.finding(FindingCode.NO_DANE, rule.get(), d.domain(), "MX records are not DNSSEC-signed",
                    "Sign the zone with DNSSEC (ask your DNS provider), then publish TLSA records for the MX hosts."));
        } else if (d.daneTlsaPresent().equals(Optional.of(false))) {
            out.add(Evaluation.finding(FindingCode.NO_DANE, rule.get(), d.domain(), "no usable DNSSEC-signed TLSA records",
                    "Publish _25._tcp.<mx-host> TLSA 3 1 1 records (SHA-256 of the server's public key) for every MX host."));
        }
        return out;
    }
}
