package dev.doublelock.tls.probe;

import dev.doublelock.tls.CipherSuite;
import dev.doublelock.tls.CipherSuites;
import dev.doublelock.tls.NamedGroup;
import dev.doublelock.tls.NamedGroups;
import dev.doublelock.tls.TlsVersion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What the prober offers: suite lists per version and group lists, common-first so that fussy servers answer. */
final class Offers {
    /** Suites per hello: many old servers fail on hellos with more than about 128 suites. */
    static final int CHUNK = 100;

    private static final List<Integer> PREFERRED_GROUPS = List.of(29, 23, 24, 25, 30, 0x11EC, 0x11EB, 0x11ED, 26, 27, 28,
            31, 32, 33, 0x0201, 0x0200, 0x0202, 256, 257, 258, 259, 260);

    private Offers() {
    }

    /** All suite codes to offer at a TLS ≤ 1.2 version, modern suites first (so a one-hello probe looks normal). */
    static List<Integer> suites(TlsVersion version) {
        return CipherSuites.offerableIn(version).stream()
                .sorted(Comparator.comparingInt(Offers::rank))
                .map(CipherSuite::code).toList();
    }

    private static int rank(CipherSuite s) {
        int r = s.forwardSecret() && s.aead() ? 0 : s.forwardSecret() ? 1 : s.aead() ? 2 : 3;
        if (s.anonymous() || s.export() || s.nullCipher() || s.keyExchange() == CipherSuite.KeyExchange.PSK
                || s.keyExchange() == CipherSuite.KeyExchange.DHE_PSK || s.keyExchange() == CipherSuite.KeyExchange.SRP) {
            r += 4;
        }
        return r;
    }

    static List<Integer> tls13Suites() {
        return CipherSuites.tls13().stream().map(CipherSuite::code).toList();
    }

    /** The IANA names of the TLS 1.3 suites. */
    static java.util.Set<String> tls13Names() {
        return CipherSuites.tls13().stream().map(CipherSuite::name).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Elliptic-curve groups for TLS ≤ 1.2 hellos (no FFDHE: RFC 7919 servers would then refuse DHE suites). */
    static List<Integer> ecGroups() {
        return ordered(NamedGroups.all().stream()
                .filter(g -> switch (g.kind()) {
                    case EC_PRIME, EC_BINARY, EC_MONTGOMERY -> !g.name().endsWith("tls13");
                    default -> false;
                }).map(NamedGroup::code).toList());
    }

    static List<Integer> ffdheGroups() {
        return NamedGroups.all().stream().filter(g -> g.kind() == NamedGroup.Kind.FFDHE).map(NamedGroup::code).toList();
    }

    /** Every group a TLS 1.3 server might choose (no legacy binary curves, no explicit-curve markers). */
    static List<Integer> tls13Groups() {
        return ordered(NamedGroups.all().stream()
                .filter(g -> g.kind() != NamedGroup.Kind.EC_BINARY && g.code() < 0xFF00)
                .filter(g -> g.code() > 22 || g.code() == 23)
                .map(NamedGroup::code).toList());
    }

    private static List<Integer> ordered(List<Integer> codes) {
        List<Integer> out = new ArrayList<>();
        PREFERRED_GROUPS.stream().filter(codes::contains).forEach(out::add);
        codes.stream().filter(c -> !out.contains(c)).forEach(out::add);
        return out;
    }

    /** Splits a list into hello-sized chunks. */
    static List<List<Integer>> chunks(List<Integer> codes) {
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < codes.size(); i += CHUNK) {
            out.add(new ArrayList<>(codes.subList(i, Math.min(codes.size(), i + CHUNK))));
        }
        return out;
    }
}
