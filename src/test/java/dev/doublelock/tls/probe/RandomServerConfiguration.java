package dev.doublelock.tls.probe;

import dev.doublelock.tls.CipherSuite;
import dev.doublelock.tls.CipherSuite.Authentication;
import dev.doublelock.tls.CipherSuite.KeyExchange;
import dev.doublelock.tls.TlsVersion;
import dev.doublelock.tls.probe.OpenSslCatalog.Group;
import dev.doublelock.tls.probe.OpenSslCatalog.Suite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One seeded random {@code openssl s_server} configuration and the ground truth that follows from it: which
 * versions, suites and groups a client offering everything gets, and the DH size. The rules are OpenSSL 3.0's:
 * a suite needs a fitting certificate key and version; (EC)DHE with elliptic curves needs a configured TLS 1.2
 * curve; FFDHE groups and X25519/X448/P-256/384/521 are TLS 1.3 groups, brainpool, P-224 and secp256k1 are not;
 * at TLS ≤ 1.2 DHE uses the configured parameters, whatever the groups say. The test confirms the rules suite by
 * suite with {@code openssl s_client} before it holds the prober to them.
 */
record RandomServerConfiguration(long seed, Set<TlsVersion> versions, Key key, List<Suite> suites, List<String> tls13Suites,
                                 List<Group> groups, DhParameters dh, boolean serverOrder) {

    /** The certificate's key. */
    enum Key {
        RSA_2048(null), ECDSA_P256("secp256r1"), ECDSA_P384("secp384r1");

        final String curve;

        Key(String curve) {
            this.curve = curve;
        }

        boolean rsa() {
            return curve == null;
        }
    }

    /** The TLS ≤ 1.2 DH parameters, as {@code openssl genpkey -genparam -pkeyopt} makes them (instantly). */
    enum DhParameters {
        RFC5114_1024(1024, "dh_rfc5114:1", Optional.empty()),
        FFDHE2048(2048, "group:ffdhe2048", Optional.of("ffdhe2048")),
        FFDHE3072(3072, "group:ffdhe3072", Optional.of("ffdhe3072"));

        final int bits;
        final String pkeyopt;
        /** The RFC 7919 group these parameters are, which the checker recognises by its prime. */
        final Optional<String> rfc7919;

        DhParameters(int bits, String pkeyopt, Optional<String> rfc7919) {
            this.bits = bits;
            this.pkeyopt = pkeyopt;
            this.rfc7919 = rfc7919;
        }
    }

    static RandomServerConfiguration generate(long seed) {
        Random r = new Random(seed);
        while (true) {
            Set<TlsVersion> versions = EnumSet.noneOf(TlsVersion.class);
            if (r.nextDouble() < 0.35) versions.add(TlsVersion.TLS_1_0);
            if (r.nextDouble() < 0.35) versions.add(TlsVersion.TLS_1_1);
            if (r.nextDouble() < 0.8) versions.add(TlsVersion.TLS_1_2);
            if (r.nextDouble() < 0.6) versions.add(TlsVersion.TLS_1_3);
            Key key = r.nextBoolean() ? Key.RSA_2048 : Key.values()[1 + r.nextInt(2)];
            List<Suite> suites = pick(r, OpenSslCatalog.SUITES, 1 + r.nextInt(8));
            List<String> tls13 = pick(r, OpenSslCatalog.TLS13_SUITES, 1 + r.nextInt(3));
            List<Group> groups = pick(r, OpenSslCatalog.GROUPS, 1 + r.nextInt(4));
            DhParameters dh = DhParameters.values()[r.nextInt(DhParameters.values().length)];
            RandomServerConfiguration c = new RandomServerConfiguration(seed, versions, key, suites, tls13, groups, dh, r.nextBoolean());
            if (!c.expectedVersions().isEmpty()) return c;
        }
    }

    private static <T> List<T> pick(Random r, List<T> from, int n) {
        List<T> copy = new ArrayList<>(from);
        Collections.shuffle(copy, r);
        return List.copyOf(copy.subList(0, Math.min(n, copy.size())));
    }

    /** The {@code s_server} arguments besides the certificate, key and port. */
    List<String> serverArguments(String dhParameterFile) {
        List<String> a = new ArrayList<>();
        a.addAll(List.of("-cipher", String.join(":", suites.stream().map(Suite::openssl).toList()) + ":@SECLEVEL=0"));
        a.addAll(List.of("-ciphersuites", String.join(":", tls13Suites)));
        a.addAll(List.of("-groups", String.join(":", groups.stream().map(Group::openssl).toList())));
        a.addAll(List.of("-dhparam", dhParameterFile));
        if (!versions.contains(TlsVersion.TLS_1_0)) a.add("-no_tls1");
        if (!versions.contains(TlsVersion.TLS_1_1)) a.add("-no_tls1_1");
        if (!versions.contains(TlsVersion.TLS_1_2)) a.add("-no_tls1_2");
        if (!versions.contains(TlsVersion.TLS_1_3)) a.add("-no_tls1_3");
        if (serverOrder) a.add("-serverpref");
        return a;
    }

    /** Would a client offering every suite and group get this suite at this TLS ≤ 1.2 version? */
    boolean accepts(Suite s, TlsVersion v) {
        CipherSuite info = s.info();
        if (!versions.contains(v) || v.compareTo(info.minVersion()) < 0 || v.compareTo(info.maxVersion()) > 0) return false;
        boolean keyFits = switch (info.authentication()) {
            case ANON -> true;
            case RSA -> key.rsa();
            case ECDSA -> !key.rsa();
            default -> false;
        };
        boolean ec = info.keyExchange() == KeyExchange.ECDHE || info.keyExchange() == KeyExchange.ECDH;
        return keyFits && (!ec || groups.stream().anyMatch(Group::tls12));
    }

    boolean tls13Accepted() {
        return versions.contains(TlsVersion.TLS_1_3) && groups.stream().anyMatch(Group::tls13);
    }

    /** The IANA suite names per accepted version. */
    Map<TlsVersion, Set<String>> expectedSuites() {
        Map<TlsVersion, Set<String>> out = new TreeMap<>();
        for (TlsVersion v : versions) {
            Set<String> names = new TreeSet<>();
            if (v == TlsVersion.TLS_1_3) {
                if (tls13Accepted()) names.addAll(tls13Suites);
            } else {
                suites.stream().filter(s -> accepts(s, v)).map(Suite::iana).forEach(names::add);
            }
            if (!names.isEmpty()) out.put(v, names);
        }
        return out;
    }

    Set<TlsVersion> expectedVersions() {
        return expectedSuites().keySet();
    }

    private List<CipherSuite> legacyAccepted() {
        return suites.stream().filter(s -> versions.stream().anyMatch(v -> v != TlsVersion.TLS_1_3 && accepts(s, v)))
                .map(Suite::info).toList();
    }

    /** False when only anonymous suites are accepted: the server then never sends its certificate. */
    boolean expectsCertificate() {
        return tls13Accepted() || legacyAccepted().stream().anyMatch(s -> !s.anonymous());
    }

    /** The IANA group names the checker must report. */
    Set<String> expectedGroups() {
        Set<String> out = new LinkedHashSet<>();
        if (tls13Accepted()) groups.stream().filter(Group::tls13).map(Group::iana).forEach(out::add);
        List<CipherSuite> legacy = legacyAccepted();
        if (legacy.stream().anyMatch(s -> s.keyExchange() == KeyExchange.ECDHE || s.keyExchange() == KeyExchange.ECDH)) {
            groups.stream().filter(Group::tls12).map(Group::iana).forEach(out::add);
        }
        if (usesDh(legacy)) dh.rfc7919.ifPresent(out::add);
        return out;
    }

    /** The DH prime size of the TLS ≤ 1.2 DHE suites, if any is accepted. */
    Optional<Integer> expectedDhBits() {
        return usesDh(legacyAccepted()) ? Optional.of(dh.bits) : Optional.empty();
    }

    private static boolean usesDh(List<CipherSuite> legacy) {
        return legacy.stream().anyMatch(s -> s.keyExchange() == KeyExchange.DHE
                || (s.keyExchange() == KeyExchange.DH && s.authentication() == Authentication.ANON));
    }

    @Override
    public String toString() {
        return "seed " + seed + ": " + versions + ", " + key + ", suites " + suites.stream().map(Suite::openssl).toList()
                + ", TLS 1.3 " + tls13Suites + ", groups " + groups.stream().map(Group::openssl).toList() + ", DH " + dh
                + (serverOrder ? ", server order" : "");
    }
}
