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
 * @param dnssecWithheld the resolver returns no DNSSEC data at all: DNSSEC could not be checked (not "insecure")
 * @param sts            the MTA-STS lookup; empty if not looked up
 */
public record DomainFacts(String domain, boolean mxFromDns, boolean mxAuthentic, boolean dnssecWithheld,
                          Optional<StsLookupResult> sts) {
    public DomainFacts {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(sts, "sts");
        if (!mxFromDns || dnssecWithheld) {
            mxAuthentic = false;
        }
    }

    /** A static route or a relay without a resolver: nothing published applies. */
    public static DomainFacts staticRoute(String domain) {
        return new DomainFacts(domain, false, false, false, Optional.empty());
    }
}
