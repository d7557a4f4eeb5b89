package dev.doublelock.relay.delivery;

import dev.doublelock.policy.Policy;
import dev.doublelock.policy.PolicyEngine;

/**
 * How one message is delivered to one domain, from the policy map, the map's mode and the message's own
 * wishes (RFC 8689):
 *
 * @param engine          the policy that judges every session
 * @param enforcePolicy   FAIL findings refuse the session (and only policy-allowed suites are offered)
 * @param requireVerified never deliver without verified TLS: no plaintext, no fallback
 * @param testing         the map is in TESTING mode: deliver, but log what the policy would have refused
 * @param requireTls      the envelope carries REQUIRETLS: the next hop must advertise REQUIRETLS too
 */
record Stance(PolicyEngine engine, boolean enforcePolicy, boolean requireVerified, boolean testing,
              boolean requireTls) {

    /**
     * @param tlsRequiredNo the message has a {@code TLS-Required: No} header (RFC 8689 §5): policy refusals are
     *                      waived and it goes out as opportunistic mail would
     */
    static Stance of(PolicyEngine engine, PolicyMap.Mode mode, boolean requireTls, boolean tlsRequiredNo) {
        if (requireTls) {
            // RFC 8689 §4.1: REQUIRETLS wins over a TLS-Required header; verified TLS or nothing.
            return new Stance(engine, mode == PolicyMap.Mode.ENFORCE, true, mode == PolicyMap.Mode.TESTING, true);
        }
        if (tlsRequiredNo) {
            return new Stance(engine, false, false, false, false);
        }
        boolean enforced = engine.policy().mode() == Policy.Mode.ENFORCE;
        if (mode == PolicyMap.Mode.TESTING) {
            return new Stance(engine, false, false, enforced, false);
        }
        return new Stance(engine, enforced, enforced, false, false);
    }

    /**
     * The same stance with TLS made mandatory, because DANE or an enforced MTA-STS policy demands it: no
     * plaintext, no fallback. The local policy's verdict (enforced, testing or opportunistic) stays as it was.
     */
    Stance withMandatoryTls() {
        return new Stance(engine, enforcePolicy, true, testing, requireTls);
    }

    /** A word for logs: enforce, testing, opportunistic, requiretls, tls-required-no. */
    String label() {
        if (requireTls) return "requiretls";
        if (testing) return "testing";
        if (enforcePolicy) return "enforce";
        return "opportunistic";
    }
}
