package dev.doublelock.check;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.Verdict;

/**
 * The checker's answer for one target: the verdict first, then per endpoint what was seen and found, and
 * for a domain what DNS said. Renderers ({@link TextReport}, {@link JsonReport}, {@link HtmlReport}) only
 * format this.
 *
 * @param target         the target as the user gave it (normalised)
 * @param policy         the policy name
 * @param checkedAt      when the check started
 * @param hosts          one entry per probed endpoint, in MX order
 * @param domain         DNS facts, for domain targets
 * @param domainFindings findings about the domain itself (DNSSEC, MTA-STS, TLS-RPT, NO_DANE, DNS failures)
 */
public record CheckReport(String target, String policy, Instant checkedAt, List<HostReport> hosts,
                          Optional<DomainReport> domain, List<Finding> domainFindings) {
    public CheckReport {
        hosts = List.copyOf(hosts);
        domainFindings = List.copyOf(domainFindings);
    }

    /** Every finding: the domain's first, then each host's. */
    public List<Finding> allFindings() {
        List<Finding> all = new ArrayList<>(domainFindings);
        hosts.forEach(h -> all.addAll(h.findings()));
        return all;
    }

    /** NON_COMPLIANT if any FAIL; else INCOMPLETE if something could not be checked; else COMPLIANT. */
    public Verdict verdict() {
        List<Finding> all = allFindings();
        if (all.stream().anyMatch(f -> f.severity() == Severity.FAIL)) return Verdict.NON_COMPLIANT;
        return incomplete() ? Verdict.INCOMPLETE : Verdict.COMPLIANT;
    }

    /** True if anything could not be checked (an UNREACHABLE finding), whatever the verdict. */
    public boolean incomplete() {
        return allFindings().stream().anyMatch(f -> f.code() == FindingCode.UNREACHABLE);
    }

    /** The CLI exit code for this report alone: 0 compliant, 1 FAIL findings, 2 could not check. */
    public int exitCode() {
        return exitCode(verdict());
    }

    public static int exitCode(Verdict v) {
        return switch (v) {
            case COMPLIANT -> 0;
            case NON_COMPLIANT -> 1;
            case INCOMPLETE -> 2;
        };
    }
}
