package dev.doublelock.check;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.doublelock.dns.Lookup;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.dns.MxHost;
import dev.doublelock.finding.Finding;
import dev.doublelock.policy.mtasts.FetchResult;
import dev.doublelock.policy.mtasts.RecordSyntaxException;
import dev.doublelock.policy.mtasts.StsLookup;
import dev.doublelock.policy.mtasts.StsLookupResult;
import dev.doublelock.policy.mtasts.StsPolicy;
import dev.doublelock.policy.mtasts.TlsRptRecord;

/** A domain's published transport policies: MTA-STS (RFC 8461) against its MX hosts, and TLS-RPT (RFC 8460). */
final class DomainPolicies {
    private final MailResolver resolver;
    private final StsLookup sts;
    private final DnsFindings dns;

    DomainPolicies(MailResolver resolver, StsLookup sts, DnsFindings dns) {
        this.resolver = resolver;
        this.sts = sts;
        this.dns = dns;
    }

    /**
     * @param mtaSts     keyword for the report: none, enforce, testing, none-mode, invalid, error
     * @param mtaStsMode the mode for the policy engine, if a policy applies
     */
    record Result(String mtaSts, Optional<String> mtaStsMode, List<String> mtaStsMx, Optional<List<String>> tlsRpt,
                  List<Finding> findings, List<String> notes) {
        static Result none() {
            return new Result("none", Optional.empty(), List.of(), Optional.empty(), List.of(), List.of());
        }
    }

    Result run(String domain, List<MxHost> mxHosts) {
        List<Finding> findings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String mtaSts;
        Optional<String> mode = Optional.empty();
        List<String> patterns = List.of();
        switch (sts.lookup(domain)) {
            case StsLookupResult.NoPolicy n -> {
                mtaSts = "none";
                notes.add("MTA-STS: " + n.reason());
            }
            case StsLookupResult.Active a -> {
                StsPolicy p = a.policy();
                mtaSts = p.mode() == StsPolicy.Mode.NONE ? "none-mode" : p.mode().token();
                mode = Optional.of(p.mode().token());
                patterns = p.mxPatterns();
                if (p.mode() != StsPolicy.Mode.NONE) {
                    for (MxHost mx : mxHosts) {
                        if (!p.matchesMx(mx.name())) {
                            findings.add(dns.mxNotInSts(mx.name(), "MX host " + mx.name() + " matches none of the policy's mx "
                                    + "patterns " + p.mxPatterns() + " (policy id " + a.id() + ")", p.mode() == StsPolicy.Mode.ENFORCE));
                        }
                    }
                }
            }
            case StsLookupResult.Failed f -> {
                mtaSts = "invalid";
                findings.add(dns.stsInvalid(domain, f.failure().tlsRptResultType() + ": " + describe(f.failure())
                        + " (record id " + f.id() + ")"));
            }
            case StsLookupResult.DnsFailure d -> {
                mtaSts = "error";
                findings.add(dns.unreachable(domain, "MTA-STS: " + d.reason(),
                        "Could not tell whether the domain publishes MTA-STS; try again later."));
            }
        }
        return new Result(mtaSts, mode, patterns, tlsRpt(domain, notes, findings), findings, notes);
    }

    private Optional<List<String>> tlsRpt(String domain, List<String> notes, List<Finding> findings) {
        Lookup<List<String>> txt = resolver.txt(TlsRptRecord.recordName(domain));
        if (!txt.answered()) {
            findings.add(dns.unreachable(domain, "TLS-RPT: TXT " + TlsRptRecord.recordName(domain) + ": " + txt,
                    "Could not tell whether the domain publishes TLS-RPT; try again later."));
            return Optional.empty();
        }
        List<String> records = txt instanceof Lookup.Found<List<String>> f
                ? f.value().stream().filter(t -> t.startsWith(TlsRptRecord.VERSION)).toList() : List.of();
        if (records.size() != 1) {
            notes.add("TLS-RPT: " + (records.isEmpty() ? "no" : records.size()) + " v=TLSRPTv1 record(s) at "
                    + TlsRptRecord.recordName(domain) + (records.isEmpty() ? "" : "; RFC 8460 §3 requires exactly one"));
            return Optional.empty();
        }
        try {
            return Optional.of(TlsRptRecord.parse(records.getFirst()).rua().stream().map(URI::toString).toList());
        } catch (RecordSyntaxException e) {
            notes.add("TLS-RPT record is invalid: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static String describe(FetchResult r) {
        return switch (r) {
            case FetchResult.Ok ok -> "ok";
            case FetchResult.FetchError e -> e.reason();
            case FetchResult.Invalid i -> i.reason();
            case FetchResult.WebPkiInvalid w -> w.reason();
        };
    }
}
