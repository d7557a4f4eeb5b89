package dev.doublelock.check;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.doublelock.dns.Lookup;
import dev.doublelock.dns.MailResolver;
import dev.doublelock.finding.Finding;
import dev.doublelock.policy.mtasts.StsLookupResult;
import dev.doublelock.policy.mtasts.StsPolicy;
import dev.doublelock.policy.mtasts.TlsRptRecord;
import dev.doublelock.policy.transport.TransportRules;

/**
 * What a domain publishes about its transport policies, for the report: the MTA-STS lookup (RFC 8461) in words, and
 * the TLS-RPT record (RFC 8460). The findings about them (MX not in the policy, an invalid policy) come from the
 * transport decision's requirements, not from here.
 */
final class DomainPolicies {
    private final MailResolver resolver;

    DomainPolicies(MailResolver resolver) {
        this.resolver = resolver;
    }

    /**
     * @param mtaSts   keyword for the report: none, enforce, testing, none-mode, invalid, error
     * @param findings what could not be looked up (UNREACHABLE)
     */
    record Result(String mtaSts, List<String> mtaStsMx, Optional<List<String>> tlsRpt, List<Finding> findings,
                  List<String> notes) {
        static Result none() {
            return new Result("none", List.of(), Optional.empty(), List.of(), List.of());
        }
    }

    Result run(String domain, StsLookupResult sts) {
        List<Finding> findings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String mtaSts;
        List<String> patterns = List.of();
        switch (sts) {
            case StsLookupResult.NoPolicy n -> {
                mtaSts = "none";
                notes.add("MTA-STS: " + n.reason());
            }
            case StsLookupResult.Active a -> {
                StsPolicy p = a.policy();
                mtaSts = p.mode() == StsPolicy.Mode.NONE ? "none-mode" : p.mode().token();
                patterns = p.mxPatterns();
            }
            case StsLookupResult.Failed f -> mtaSts = "invalid";
            case StsLookupResult.DnsFailure d -> mtaSts = "error";
        }
        return new Result(mtaSts, patterns, tlsRpt(domain, notes, findings), findings, notes);
    }

    private Optional<List<String>> tlsRpt(String domain, List<String> notes, List<Finding> findings) {
        Lookup<List<String>> txt = resolver.txt(TlsRptRecord.recordName(domain));
        if (!txt.answered()) {
            findings.add(TransportRules.unreachable(domain, "TLS-RPT: TXT " + TlsRptRecord.recordName(domain) + ": " + txt,
                    "Could not tell whether the domain publishes TLS-RPT; try again later."));
            return Optional.empty();
        }
        List<String> txts = txt instanceof Lookup.Found<List<String>> f ? f.value() : List.of();
        String at = " at " + TlsRptRecord.recordName(domain);
        return switch (TlsRptRecord.select(txts)) {
            case TlsRptRecord.Published.One one -> Optional.of(one.record().rua().stream().map(URI::toString).toList());
            case TlsRptRecord.Published.None none -> {
                notes.add("TLS-RPT: no v=TLSRPTv1 record(s)" + at);
                yield Optional.empty();
            }
            case TlsRptRecord.Published.Several several -> {
                notes.add("TLS-RPT: " + several.count() + " v=TLSRPTv1 record(s)" + at + "; RFC 8460 §3 requires exactly one");
                yield Optional.empty();
            }
            case TlsRptRecord.Published.Invalid invalid -> {
                notes.add("TLS-RPT record is invalid: " + invalid.reason());
                yield Optional.empty();
            }
        };
    }
}
