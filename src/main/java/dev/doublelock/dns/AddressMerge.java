package dev.doublelock.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Combines the A and AAAA answers for one host into one outcome. A bogus answer for either family
 * poisons both (an attacker could otherwise steer to the unvalidated family); addresses are
 * authentic only if both answers were validated.
 */
final class AddressMerge {
    private AddressMerge() {
    }

    static Lookup<List<InetAddress>> merge(Lookup<List<InetAddress>> v4, Lookup<List<InetAddress>> v6) {
        if (v4 instanceof Lookup.Bogus<List<InetAddress>> b) {
            return b;
        }
        if (v6 instanceof Lookup.Bogus<List<InetAddress>> b) {
            return b;
        }
        boolean authentic = v4.authentic() && v6.authentic();
        List<InetAddress> all = new ArrayList<>();
        if (v4 instanceof Lookup.Found<List<InetAddress>> f) {
            all.addAll(f.value());
        }
        if (v6 instanceof Lookup.Found<List<InetAddress>> f) {
            all.addAll(f.value());
        }
        if (!all.isEmpty()) {
            return new Lookup.Found<>(List.copyOf(all), authentic);
        }
        if (!v4.answered()) {
            return v4;
        }
        if (!v6.answered()) {
            return v6;
        }
        if (v4 instanceof Lookup.NxDomain || v6 instanceof Lookup.NxDomain) {
            return new Lookup.NxDomain<>(authentic);
        }
        return new Lookup.NoData<>(authentic);
    }
}
