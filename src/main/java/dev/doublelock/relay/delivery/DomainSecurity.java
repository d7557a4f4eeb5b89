package dev.doublelock.relay.delivery;

import dev.doublelock.dns.MailResolver;
import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.dane.DaneLookup;
import dev.doublelock.policy.dane.DaneStatus;
import dev.doublelock.policy.mtasts.StsLookup;
import dev.doublelock.policy.mtasts.StsLookupResult;
import dev.doublelock.policy.mtasts.StsPolicy;

import java.util.List;
import java.util.Optional;

/**
 * Finds what a recipient domain publishes about its own transport security and turns it into a
 * {@link HopRequirement} per MX host. Precedence: DANE (RFC 7672) over MTA-STS (RFC 8461) over the local
 * policy map. Both apply only to hops that came from DNS MX records (a static route is the operator's choice),
 * and only with a resolver configured; DANE only when the MX RRset itself was DNSSEC-validated (§2.2.1).
 *
 * <ul>
 *   <li>DANE records with a usable TLSA record: TLS mandatory, the chain authenticated by TLSA.</li>
 *   <li>DNSSEC-valid records, none usable: TLS mandatory; the chain is authenticated by the Web PKI (doublelock
 *       has no trust-everything mode, so this is stricter than the RFC's unauthenticated TLS).</li>
 *   <li>DNSSEC bogus or a failed TLSA lookup: the host is not used (DNSSEC_BOGUS / UNREACHABLE), never
 *       plaintext; the next MX is tried, else the message waits.</li>
 *   <li>MTA-STS {@code enforce}: the MX host must match the policy (else MX_NOT_IN_STS_POLICY, host skipped);
 *       TLS 1.2+ with Web-PKI validation and the name check is mandatory. {@code testing}: delivered as the local
 *       policy says, the would-be failures recorded. MTA-STS refusals are always transient (§5.1: a new policy
 *       may be published; it is looked up again on every retry, through the cache).</li>
 * </ul>
 */
final class DomainSecurity {
    private final Optional<MailResolver> resolver;
    private final Optional<StsLookup> sts;
    private final DaneLookup dane = new DaneLookup();

    DomainSecurity(Optional<MailResolver> resolver, Optional<StsLookup> sts) {
        this.resolver = resolver;
        this.sts = sts;
    }

    /** What applies to a domain's hops, looked up once per delivery run of the domain. */
    Domain forDomain(String domain, Route route, boolean requireTls) {
        if (!route.fromMx() || resolver.isEmpty()) {
            return new Domain(domain, route, Optional.empty(), requireTls);
        }
        return new Domain(domain, route, sts.map(s -> s.lookup(domain)), requireTls);
    }

    /** One domain's view: the MTA-STS result, and per hop the DANE lookup. */
    final class Domain {
        private final String domain;
        private final Route route;
        private final Optional<StsLookupResult> stsResult;
        private final boolean requireTls;

        private Domain(String domain, Route route, Optional<StsLookupResult> stsResult, boolean requireTls) {
            this.domain = domain;
            this.route = route;
            this.stsResult = stsResult;
            this.requireTls = requireTls;
        }

        Optional<StsLookupResult> sts() {
            return stsResult;
        }

        HopRequirement forHop(Hop hop) {
            if (!route.fromMx() || resolver.isEmpty()) {
                return HopRequirement.local();
            }
            if (route.mxAuthentic()) {
                Optional<HopRequirement> d = dane(hop);
                if (d.isPresent()) {
                    return d.get();
                }
            }
            HopRequirement fromSts = mtaSts(hop);
            if (requireTls && !route.mxAuthentic() && !listedByMtaSts(hop)) {
                // RFC 8689 §4.2.1: the MX must be DNSSEC-validated or match an MTA-STS policy (enforce or testing)
                return HopRequirement.skip("requiretls", List.of(), "the message requires REQUIRETLS (RFC 8689), but "
                        + "the MX records of " + domain + " are not DNSSEC-signed and no MTA-STS policy lists "
                        + hop.host());
            }
            return fromSts;
        }

        private Optional<HopRequirement> dane(Hop hop) {
            String subject = hop.host() + ":" + hop.port();
            DaneStatus status = dane.lookup(resolver.get(), hop.host(), hop.port());
            return switch (status) {
                case DaneStatus.None n -> Optional.empty();
                case DaneStatus.Records r when r.usable() -> Optional.of(HopRequirement.mandatory(HopRequirement.DANE,
                        new ChainAuthentication.Dane(r.tlsaName(), r.records(),
                                java.util.stream.Stream.of(r.baseDomain(), hop.host(), domain).distinct().toList()),
                        List.of()));
                case DaneStatus.Records r -> Optional.of(HopRequirement.mandatory(HopRequirement.DANE,
                        ChainAuthentication.WEB_PKI, List.of(new Finding(FindingCode.DANE_TLSA_MISMATCH, Severity.WARN,
                                subject, "DNSSEC-valid TLSA records at " + r.tlsaName() + " but none usable for SMTP "
                                + "(only DANE-TA(2)/DANE-EE(3) with known selector and matching type count)",
                                "RFC 7672 §2.2", "Publish DANE-EE(3) or DANE-TA(2) records, e.g. \"3 1 1\" with the "
                                + "SHA-256 of the server's public key."))));
                case DaneStatus.Bogus b -> Optional.of(HopRequirement.skip(HopRequirement.DANE, List.of(new Finding(
                        FindingCode.DNSSEC_BOGUS, Severity.FAIL, subject, b.reason(), "RFC 7672 §2.2",
                        "Fix the DNSSEC signatures of " + hop.host() + " and its TLSA records (re-sign the zone, check "
                                + "the DS at the parent).")), "DNSSEC validation failed for " + hop.host()
                        + " (" + b.reason() + "); this host is not used until it validates"));
                case DaneStatus.ServFail s -> Optional.of(HopRequirement.skip(HopRequirement.DANE, List.of(new Finding(
                        FindingCode.UNREACHABLE, Severity.FAIL, subject, s.reason(), "RFC 7672 §2.2",
                        "Make the TLSA and address records of " + hop.host() + " resolvable.")),
                        "the DANE lookup for " + hop.host() + " failed (" + s.reason() + "); its DNSSEC-signed MX "
                                + "forbids delivering without knowing, so it is retried later"));
            };
        }

        private boolean listedByMtaSts(Hop hop) {
            return stsResult.orElse(null) instanceof StsLookupResult.Active a
                    && a.policy().mode() != StsPolicy.Mode.NONE && a.policy().matchesMx(hop.host());
        }

        private HopRequirement mtaSts(Hop hop) {
            if (stsResult.isEmpty()) {
                return HopRequirement.local();
            }
            String subject = hop.host() + ":" + hop.port();
            return switch (stsResult.get()) {
                case StsLookupResult.Active a when a.policy().mode() == StsPolicy.Mode.ENFORCE -> a.policy().matchesMx(hop.host())
                        ? HopRequirement.mandatory(HopRequirement.MTA_STS, ChainAuthentication.WEB_PKI, List.of())
                        : HopRequirement.skip(HopRequirement.MTA_STS, List.of(notListed(a, hop, subject, Severity.FAIL)),
                        hop.host() + " is not listed in the MTA-STS policy of " + domain + " (mode enforce, id "
                                + a.id() + "); this host is not used");
                case StsLookupResult.Active a when a.policy().mode() == StsPolicy.Mode.TESTING -> a.policy().matchesMx(hop.host())
                        ? HopRequirement.local(List.of(), "mta-sts testing")
                        : HopRequirement.local(List.of(notListed(a, hop, subject, Severity.WARN)),
                        "mta-sts testing: would refuse");
                case StsLookupResult.Active a -> HopRequirement.local();
                case StsLookupResult.Failed f -> HopRequirement.local(List.of(new Finding(FindingCode.MTA_STS_INVALID,
                        Severity.WARN, domain, "record id " + f.id() + ": " + f.failure(), "RFC 8461 §3.3",
                        "Serve a valid policy at https://mta-sts." + domain + "/.well-known/mta-sts.txt with a "
                                + "publicly trusted certificate, or remove the _mta-sts TXT record.")), null);
                case StsLookupResult.NoPolicy n -> HopRequirement.local();
                case StsLookupResult.DnsFailure d -> HopRequirement.local();
            };
        }

        private Finding notListed(StsLookupResult.Active a, Hop hop, String subject, Severity severity) {
            return new Finding(FindingCode.MX_NOT_IN_STS_POLICY, severity, subject, hop.host() + " matches none of "
                    + a.policy().mxPatterns() + " (policy id " + a.id() + ", mode " + a.policy().mode().token() + ")",
                    "RFC 8461 §4.1", "List " + hop.host() + " in the mx lines of the MTA-STS policy of " + domain
                    + ", publish it under a new id, or change the MX records.");
        }
    }
}
