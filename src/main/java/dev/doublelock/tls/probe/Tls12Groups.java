package dev.doublelock.tls.probe;

import dev.doublelock.tls.CipherSuite;
import dev.doublelock.tls.CipherSuite.KeyExchange;
import dev.doublelock.tls.CipherSuites;
import dev.doublelock.tls.NamedGroups;
import dev.doublelock.tls.TlsVersion;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Key-exchange groups at TLS ≤ 1.2 by elimination: offer the accepted ECDHE suites with a supported_groups
 * list and read named_curve from the ServerKeyExchange; remove it, repeat. Then the same for RFC 7919 FFDHE
 * groups with the accepted DHE suites, recognising the groups by their primes.
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
        List<Integer> ecdhe = suitesWith(at, KeyExchange.ECDHE);
        if (!ecdhe.isEmpty()) {
            eliminate(at.version(), ecdhe, Offers.ecGroups(), groups, untested, "ECDHE");
        }
        Optional<Integer> minDh = Optional.empty();
        List<Integer> dhe = suitesWith(at, KeyExchange.DHE);
        if (!dhe.isEmpty()) {
            minDh = eliminate(at.version(), dhe, Offers.ffdheGroups(), groups, untested, "DHE");
        }
        return new Result(groups, minDh, untested);
    }

    private static List<Integer> suitesWith(SuiteEnumeration at, KeyExchange kx) {
        return at.accepted().stream().filter(c -> CipherSuites.byCode(c).map(CipherSuite::keyExchange).orElse(null) == kx)
                .limit(Offers.CHUNK).toList();
    }

    /** Returns the smallest DH prime seen (DHE only). */
    private Optional<Integer> eliminate(TlsVersion version, List<Integer> suites, List<Integer> all, List<String> found,
                                        List<String> untested, String what) {
        List<Integer> offer = new ArrayList<>(all);
        Optional<Integer> minDh = Optional.empty();
        while (!offer.isEmpty()) {
            ServerReply r = exchange.reply(ClientHello.of(version, suites, offer, exchange.target().sniName()));
            if (!(r instanceof ServerReply.Answered a) || a.hello().version() != version.wire()) {
                if (r instanceof ServerReply.Failed f) untested.add(what + " groups: list incomplete: " + f.reason());
                break;
            }
            Optional<ServerKeyExchange> ske = a.keyExchange();
            OptionalInt group = ske.map(ServerKeyExchange::namedCurve).orElse(OptionalInt.empty());
            if (ske.isPresent() && ske.get().dhPrimeBits().isPresent()) {
                int bits = ske.get().dhPrimeBits().getAsInt();
                minDh = Optional.of(minDh.map(m -> Math.min(m, bits)).orElse(bits));
                group = FfdhePrimes.identify(new BigInteger(1, ske.get().dhPrime()));
                if (group.isEmpty()) break; // custom DH parameters: the server ignores supported_groups
            }
            if (group.isEmpty()) {
                untested.add(what + " groups: no ServerKeyExchange parameters seen");
                break;
            }
            if (!offer.remove((Integer) group.getAsInt())) {
                if (!found.contains(NamedGroups.nameOf(group.getAsInt()))) found.add(NamedGroups.nameOf(group.getAsInt()));
                break; // the server uses a group regardless of the list
            }
            found.add(NamedGroups.nameOf(group.getAsInt()));
        }
        return minDh;
    }
}
