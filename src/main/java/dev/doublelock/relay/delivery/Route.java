package dev.doublelock.relay.delivery;

import java.util.List;
import java.util.Objects;

/**
 * Where mail for one recipient domain goes: the hops to try, in order.
 *
 * @param domain the recipient domain, lower case
 * @param hops   at least one, in the order to try them (MX preference order, or as configured)
 * @param fromMx true if the hops came from DNS MX records, false for a static route
 * @param mxAuthentic true if those MX records were DNSSEC-validated (a precondition of DANE, RFC 7672 §2.2.1)
 */
public record Route(String domain, List<Hop> hops, boolean fromMx, boolean mxAuthentic) {
    public Route {
        Objects.requireNonNull(domain, "domain");
        hops = List.copyOf(hops);
        if (hops.isEmpty()) {
            throw new IllegalArgumentException("a route for " + domain + " needs at least one hop");
        }
        if (mxAuthentic && !fromMx) {
            throw new IllegalArgumentException("only MX routes can be DNSSEC-validated");
        }
    }

    /** A route whose MX records (if any) were not DNSSEC-validated. */
    public Route(String domain, List<Hop> hops, boolean fromMx) {
        this(domain, hops, fromMx, false);
    }
}
