package dev.doublelock.policy.transport;

import java.util.Objects;
import java.util.Optional;

import dev.doublelock.policy.mtasts.StsLookupResult;

/**
 * What is known about a recipient domain's DNS-side protections, as looked up by the caller.
 *
 * @param domain         the mail domain
 * @param mxFromDns      the hosts came from DNS MX records (false: a static route, the operator's own choice, to
 *                       which the domain's DANE and MTA-STS do not apply)
 * @param mxAuthentic    the MX RRset validated as DNSSEC-secure (a precondition of DANE, RFC 7672 §2.2.1)
 * @param withheldDnssec when the resolver returns no DNSSEC data at all, the evidence: DNSSEC could not be checked
 *                       (which is not "insecure")
 * @param sts            the MTA-STS lookup; empty if not looked up
 */
public record DomainFacts(String domain, boolean mxFromDns, boolean mxAuthentic, Optional<String> withheldDnssec,
                          Optional<StsLookupResult> sts) {
    public DomainFacts {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(sts, "sts");
        Objects.requireNonNull(withheldDnssec, "withheldDnssec");
        if (!mxFromDns || withheldDnssec.isPresent()) {
            mxAuthentic = false;
        }
    }

    /** A static route or a relay without a resolver: nothing published applies. */
    public static DomainFacts staticRoute(String domain) {
        return new DomainFacts(domain, false, false, Optional.empty(), Optional.empty());
    }

    /** True if the resolver withholds DNSSEC data, so that DNSSEC and DANE could not be checked. */
    public boolean dnssecWithheld() {
        return withheldDnssec.isPresent();
    }
}
