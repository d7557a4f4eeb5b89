package dev.doublelock.relay.delivery;

import dev.doublelock.dns.MailResolver;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.policy.dane.DaneLookup;
import dev.doublelock.policy.dane.DaneStatus;
import dev.doublelock.policy.mtasts.StsLookup;
import dev.doublelock.policy.mtasts.StsLookupResult;
import dev.doublelock.policy.transport.DomainFacts;
import dev.doublelock.policy.transport.MessageDemands;
import dev.doublelock.policy.transport.TransportDecision;
import dev.doublelock.policy.transport.TransportRequirement;

import java.util.Optional;

/**
 * Looks up what a recipient domain publishes about its own transport security (MTA-STS once per domain, DANE per
 * MX host) and hands it to the {@link TransportDecision}, which turns it into a {@link TransportRequirement} per
 * hop — the same decision the checker uses. This class only looks things up; it decides nothing.
 *
 * <p>The domain's publications apply only to hops that came from DNS MX records (a static route is the operator's
 * choice) and only with a resolver configured; DANE only when the MX RRset itself was DNSSEC-validated
 * (RFC 7672 §2.2.1); none of them for a message with {@code TLS-Required: No} (RFC 8689 §5).
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
    Domain forDomain(String domain, Route route, MessageDemands msg, TransportDecision decision, PolicyContext ctx) {
        boolean published = route.fromMx() && resolver.isPresent() && !msg.tlsRequiredNo();
        if (!published) {
            return new Domain(new DomainFacts(domain, false, false, Optional.empty(), Optional.empty()), msg, decision, ctx);
        }
        dev.doublelock.dns.DnssecSupport dnssec = resolver.get().dnssecSupport();
        Optional<String> withheld = dnssec.withheld() ? Optional.of(dnssec.evidence()) : Optional.empty();
        Optional<StsLookupResult> stsResult = sts.map(s -> s.lookup(domain));
        return new Domain(new DomainFacts(domain, true, route.mxAuthentic(), withheld, stsResult), msg, decision, ctx);
    }

    /** One domain's facts; per hop the DANE lookup and the requirement. */
    final class Domain {
        private final DomainFacts facts;
        private final MessageDemands msg;
        private final TransportDecision decision;
        private final PolicyContext ctx;

        private Domain(DomainFacts facts, MessageDemands msg, TransportDecision decision, PolicyContext ctx) {
            this.facts = facts;
            this.msg = msg;
            this.decision = decision;
            this.ctx = ctx;
        }

        DomainFacts facts() {
            return facts;
        }

        TransportRequirement forHop(Hop hop) {
            Optional<DaneStatus> status = facts.mxFromDns() && facts.mxAuthentic()
                    ? Optional.of(dane.lookup(resolver.orElseThrow(), hop.host(), hop.port())) : Optional.empty();
            return decision.require(facts, hop.host(), hop.port(), status, msg, ctx);
        }
    }
}
