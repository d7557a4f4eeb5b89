package dev.doublelock.tls.probe;

import dev.doublelock.tls.CipherSuite;
import dev.doublelock.tls.CipherSuite.Authentication;
import dev.doublelock.tls.CipherSuite.KeyExchange;
import dev.doublelock.tls.CipherSuites;
import dev.doublelock.tls.NamedGroups;
import dev.doublelock.tls.TlsVersion;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * Key-exchange groups at TLS ≤ 1.2 by elimination: offer accepted suites with a supported_groups list, read the
 * group from the ServerKeyExchange (named_curve, RFC 8422 §5.4; or the DH prime, recognised as an RFC 7919 group),
 * remove it, repeat until the server refuses. One run per kind of suite, because what the server may pick depends
 * on it:
 * <ul>
 * <li><b>ECDHE_RSA</b> and <b>ECDH_anon</b>: nothing but the list constrains the server, so a refusal means no
 *     group left in the list is accepted.</li>
 * <li><b>ECDHE_ECDSA</b>: the server can use its ECDSA certificate only while the certificate's curve is in
 *     supported_groups (RFC 8422 §5.1, §5.3), so removing that curve would end the run with a refusal that says
 *     nothing about the other groups (the secp224r1-behind-P-256 bug). The certificate's curve (read from the
 *     leaf of the first answer) is therefore never removed but always offered <em>last</em>, and the server's
 *     pick is read from the ServerKeyExchange as before. When the server picks that curve although it was last,
 *     the run is complete: a server that follows the client's order has nothing else left, and a server that
 *     follows its own order ranks everything left below the curve every ECDSA client must offer, so no client
 *     ever gets those groups with this certificate.</li>
 * <li><b>DHE</b> and <b>DH_anon</b> with the RFC 7919 groups. A server that ignores the list (custom parameters,
 *     or one fixed group) uses its group whatever is offered: that ends the run, and the DH size of every
 *     accepted suite was already seen during suite enumeration.</li>
 * </ul>
 * Anything else that ends a run early (a failed connection, an answer in another version, a refusal of a hello
 * the suite enumeration showed to be acceptable, an unknown certificate curve) is reported in {@code untested}.
 */
final class Tls12Groups {
    private final HelloExchange exchange;

    Tls12Groups(HelloExchange exchange) {
        this.exchange = exchange;
    }

    record Result(List<String> groups, Optional<Integer> minDhBits, List<String> untested) {
    }

    Result run(SuiteEnumeration at) {
        List<String> groups = new ArrayList<>();
        List<String> untested = new ArrayList<>();
        Run runs = new Run(at.version(), groups, untested);
        List<Integer> ecdheRsa = suitesWith(at, s -> s.keyExchange() == KeyExchange.ECDHE && s.authentication() != Authentication.ECDSA);
        if (!ecdheRsa.isEmpty()) runs.eliminate("ECDHE_RSA", ecdheRsa, Kind.EC);
        List<Integer> ecdheEcdsa = suitesWith(at, s -> s.keyExchange() == KeyExchange.ECDHE && s.authentication() == Authentication.ECDSA);
        if (!ecdheEcdsa.isEmpty()) runs.eliminate("ECDHE_ECDSA", ecdheEcdsa, Kind.EC_KEEP_CERTIFICATE_CURVE);
        List<Integer> ecdhAnon = suitesWith(at, s -> s.keyExchange() == KeyExchange.ECDH && s.anonymous());
        if (!ecdhAnon.isEmpty()) runs.eliminate("ECDH_anon", ecdhAnon, Kind.EC);
        List<Integer> dhe = suitesWith(at, s -> s.keyExchange() == KeyExchange.DHE
                || (s.keyExchange() == KeyExchange.DH && s.anonymous()));
        if (!dhe.isEmpty()) runs.eliminate("DHE", dhe, Kind.FFDHE);
        return new Result(groups, runs.minDh, untested);
    }

    /** What one run offers: EC groups, EC groups keeping the certificate's curve (offered last), or FFDHE groups. */
    private enum Kind { EC, EC_KEEP_CERTIFICATE_CURVE, FFDHE }

    private static List<Integer> suitesWith(SuiteEnumeration at, Predicate<CipherSuite> kind) {
        return at.accepted().stream().filter(c -> CipherSuites.byCode(c).map(kind::test).orElse(false))
                .limit(Offers.CHUNK).toList();
    }

    /** The elimination runs at one version, sharing the list of groups found and the smallest DH prime. */
    private final class Run {
        private final TlsVersion version;
        private final List<String> found;
        private final List<String> untested;
        private Optional<Integer> minDh = Optional.empty();

        Run(TlsVersion version, List<String> found, List<String> untested) {
            this.version = version;
            this.found = found;
            this.untested = untested;
        }

        void eliminate(String what, List<Integer> suites, Kind kind) {
            String label = what + " groups at " + version.displayName();
            boolean ffdhe = kind == Kind.FFDHE;
            boolean pinCertificateCurve = kind == Kind.EC_KEEP_CERTIFICATE_CURVE;
            List<Integer> offer = new ArrayList<>(ffdhe ? Offers.ffdheGroups() : Offers.ecGroups());
            OptionalInt pin = OptionalInt.empty();
            List<String> removed = new ArrayList<>();
            boolean first = true;
            while (true) {
                List<Integer> groups = ordered(offer, pin);
                if (groups.isEmpty()) return; // every group offered has been tried: complete
                ServerReply r = exchange.reply(ClientHello.of(version, suites, groups, exchange.target().sniName()));
                if (r instanceof ServerReply.Failed f) {
                    untested.add(label + ": list incomplete: " + f.reason());
                    return;
                }
                if (r instanceof ServerReply.Refused refused) {
                    // DHE: an RFC 7919 server with none of these groups must refuse DHE once any FFDHE group is
                    // offered (RFC 7919 §4); its own group's size was seen during suite enumeration (no FFDHE offered)
                    if (first && !ffdhe) {
                        untested.add(label + ": not tested: the server refused a hello with suites it accepted during "
                                + "suite enumeration and every group (" + refused.reason() + ")");
                    } else if (pinCertificateCurve && pin.isEmpty()) {
                        untested.add(label + ": list may be incomplete: the server refused once " + String.join(", ", removed)
                                + " had been removed, and the certificate's curve is unknown, so it could not be kept "
                                + "in the list (RFC 8422 §5.1)");
                    }
                    // otherwise: no group left in the list is accepted with these suites; the run is complete
                    return;
                }
                ServerReply.Answered a = (ServerReply.Answered) r;
                if (a.hello().version() != version.wire()) {
                    untested.add(label + ": list incomplete: the server answered a " + version.displayName() + " hello with "
                            + String.format("version 0x%04X", a.hello().version()));
                    return;
                }
                if (first && pinCertificateCurve) pin = CertificateCurve.of(a.chain());
                boolean pinWasLast = pin.isPresent() && groups.getLast() == pin.getAsInt();
                first = false;
                Optional<ServerKeyExchange> ske = a.keyExchange();
                OptionalInt group = ske.map(ServerKeyExchange::namedCurve).orElse(OptionalInt.empty());
                boolean dh = ske.isPresent() && ske.get().dhPrimeBits().isPresent();
                if (dh) {
                    int bits = ske.get().dhPrimeBits().getAsInt();
                    minDh = Optional.of(minDh.map(m -> Math.min(m, bits)).orElse(bits));
                    group = FfdhePrimes.identify(new BigInteger(1, ske.get().dhPrime()));
                    // custom DH parameters: the server ignores supported_groups, so there is nothing to eliminate;
                    // the size of every accepted suite's group was recorded during suite enumeration
                    if (group.isEmpty()) return;
                }
                if (group.isEmpty()) {
                    untested.add(label + ": list incomplete: no ServerKeyExchange parameters seen for "
                            + CipherSuites.nameOf(a.hello().cipherSuite()));
                    return;
                }
                int g = group.getAsInt();
                String name = NamedGroups.nameOf(g);
                if (!found.contains(name)) found.add(name);
                if (pin.isPresent() && g == pin.getAsInt()) {
                    if (pinWasLast) return; // see the class comment: nothing else is negotiable with this certificate
                    continue; // chosen while not last: ask again with it last
                }
                if (!offer.remove((Integer) g)) {
                    if (dh) return; // a fixed DH group, whatever the list says (see custom parameters above)
                    untested.add(label + ": list incomplete: the server chose " + name + ", which was not offered");
                    return;
                }
                removed.add(name);
            }
        }

        /** The groups of one hello: the pinned curve (if any) moved to the end. */
        private static List<Integer> ordered(List<Integer> offer, OptionalInt pin) {
            if (pin.isEmpty()) return List.copyOf(offer);
            List<Integer> out = new ArrayList<>(offer);
            out.remove((Integer) pin.getAsInt());
            out.add(pin.getAsInt());
            return out;
        }
    }
}
