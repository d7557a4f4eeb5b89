package dev.doublelock.dns;

import java.util.Objects;

/**
 * Whether the resolver doublelock asks passes DNSSEC data through (RRSIG, DNSKEY, DS, NSEC), found out by
 * asking it for the DNSKEY RRset of the trust anchor's zone (the root {@code .} for the built-in IANA anchor)
 * with the DO bit (RFC 3225) and looking for the RRSIGs over it. Validation happens here, from the trust
 * anchor (see {@link DnsjavaResolver}); it needs those signatures. Many home routers and some forwarders strip
 * them: every signed answer then looks bogus, and blaming the domain for it would be wrong. With a resolver
 * that withholds DNSSEC, answers are therefore taken as not validated (insecure) and DNSSEC, DANE and any rule
 * built on them could not be checked.
 *
 * @param state    what the probe found
 * @param evidence what the resolver answered, in words (which resolver, which question, what came back)
 */
public record DnssecSupport(State state, String evidence) {
    public DnssecSupport {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(evidence, "evidence");
    }

    /** What a DO query for a signed DNSKEY RRset showed about a resolver. */
    public enum State {
        /** The RRSIGs came back: validation can work through this resolver. */
        PASSES_DNSSEC,
        /** The resolver answered, but without the signatures (or without EDNS): nothing can be validated. */
        WITHHOLDS_DNSSEC,
        /** No usable answer (timeout, SERVFAIL, REFUSED, no probe possible): nothing is known either way. */
        UNKNOWN
    }

    public static DnssecSupport passes(String evidence) {
        return new DnssecSupport(State.PASSES_DNSSEC, evidence);
    }

    public static DnssecSupport withholds(String evidence) {
        return new DnssecSupport(State.WITHHOLDS_DNSSEC, evidence);
    }

    public static DnssecSupport unknown(String evidence) {
        return new DnssecSupport(State.UNKNOWN, evidence);
    }

    /** True when the resolver was seen to strip DNSSEC data: DNSSEC and DANE cannot be checked through it. */
    public boolean withheld() {
        return state == State.WITHHOLDS_DNSSEC;
    }
}
