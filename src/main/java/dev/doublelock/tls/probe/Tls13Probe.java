package dev.doublelock.tls.probe;

import dev.doublelock.tls.CipherSuites;
import dev.doublelock.tls.NamedGroups;
import dev.doublelock.tls.TlsVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * TLS 1.3 by elimination (RFC 8446). The ServerHello and HelloRetryRequest are plaintext and name the suite
 * and group. Suites: offer real x25519 and secp256r1 shares, remove the chosen suite, repeat. Groups: offer
 * every group with an EMPTY key_share, so the server must answer with a HelloRetryRequest naming the group
 * it wants; remove it, repeat.
 */
final class Tls13Probe {
    private final HelloExchange exchange;
    private final boolean enumerateSuites;
    private final boolean enumerateGroups;

    Tls13Probe(HelloExchange exchange, boolean enumerateSuites, boolean enumerateGroups) {
        this.exchange = exchange;
        this.enumerateSuites = enumerateSuites;
        this.enumerateGroups = enumerateGroups;
    }

    /** Suite enumeration at TLS 1.3 plus the groups found (names in {@code groups}). */
    record Result(SuiteEnumeration suites, List<String> groups, List<String> untested) {
    }

    Result run() {
        List<Integer> accepted = new ArrayList<>();
        List<ServerReply.Answered> answers = new ArrayList<>();
        List<String> untested = new ArrayList<>();
        List<Integer> offer = new ArrayList<>(Offers.tls13Suites());
        while (!offer.isEmpty()) {
            ServerReply r = exchange.reply(hello(offer, true));
            if (r instanceof ServerReply.Answered a && a.hello().version() == TlsVersion.TLS_1_3.wire()) {
                int suite = a.hello().cipherSuite();
                if (!offer.remove((Integer) suite)) {
                    untested.add("TLS 1.3: server chose " + CipherSuites.nameOf(suite) + ", which was not offered");
                    break;
                }
                accepted.add(suite);
                answers.add(a);
                if (!enumerateSuites) break;
            } else {
                if (r instanceof ServerReply.Failed f) {
                    untested.add("TLS 1.3" + (accepted.isEmpty() ? ": not tested: " : ": suite list incomplete: ") + f.reason());
                }
                break;
            }
        }
        Optional<Boolean> order = Optional.empty();
        if (accepted.size() >= 2 && untested.isEmpty()) {
            Optional<Integer> x = pick(List.of(accepted.get(0), accepted.get(1)));
            Optional<Integer> y = pick(List.of(accepted.get(1), accepted.get(0)));
            if (x.isPresent() && y.isPresent()) order = Optional.of(x.get().equals(y.get()));
        }
        SuiteEnumeration suites = new SuiteEnumeration(TlsVersion.TLS_1_3, accepted, order, answers, List.of());
        List<String> groups = accepted.isEmpty() || !enumerateGroups ? groupsSeen(answers) : groups(accepted, answers, untested);
        return new Result(suites, groups, untested);
    }

    private ClientHello hello(List<Integer> suites, boolean withShares) {
        return hello(suites, Offers.tls13Groups(), withShares);
    }

    private ClientHello hello(List<Integer> suites, List<Integer> groups, boolean withShares) {
        ClientHello h = ClientHello.of(TlsVersion.TLS_1_3, suites, groups, exchange.target().sniName());
        return withShares ? h.withKeyShares(List.of(KeyShare.x25519(), KeyShare.secp256r1())) : h;
    }

    private Optional<Integer> pick(List<Integer> suites) {
        return exchange.reply(hello(suites, true)) instanceof ServerReply.Answered a
                && a.hello().version() == TlsVersion.TLS_1_3.wire() ? Optional.of(a.hello().cipherSuite()) : Optional.empty();
    }

    /**
     * Groups by HelloRetryRequest elimination. The certificate does not constrain the groups at TLS 1.3 (its curve
     * is bound by signature_algorithms, RFC 8446 §4.2.3), so a refusal means no group left in the list is
     * accepted — unless the list still holds a group the server already chose with a key share during suite
     * enumeration, or nothing was found at all: then the refusal contradicts what the server did, and the list
     * is reported incomplete instead of silently short.
     */
    private List<String> groups(List<Integer> suites, List<ServerReply.Answered> answers, List<String> untested) {
        List<String> found = new ArrayList<>();
        List<Integer> offer = new ArrayList<>(Offers.tls13Groups());
        List<Integer> seen = answers.stream().map(a -> a.hello().keyShareGroup()).filter(OptionalInt::isPresent)
                .map(OptionalInt::getAsInt).distinct().toList();
        while (!offer.isEmpty()) {
            ServerReply r = exchange.reply(hello(suites, offer, false));
            if (r instanceof ServerReply.Answered a && a.hello().version() == TlsVersion.TLS_1_3.wire()) {
                OptionalInt g = a.hello().keyShareGroup();
                if (g.isEmpty() || !offer.remove((Integer) g.getAsInt())) {
                    untested.add("TLS 1.3 groups: server named " + (g.isPresent() ? NamedGroups.nameOf(g.getAsInt()) : "no group")
                            + " in its HelloRetryRequest, which was not offered; group list incomplete");
                    break;
                }
                found.add(NamedGroups.nameOf(g.getAsInt()));
            } else if (r instanceof ServerReply.Failed f) {
                untested.add("TLS 1.3 groups: list incomplete: " + f.reason());
                break;
            } else {
                List<String> contradicted = seen.stream().filter(offer::contains).map(NamedGroups::nameOf).toList();
                String why = r instanceof ServerReply.Refused refused ? refused.reason()
                        : String.format("answered with version 0x%04X", ((ServerReply.Answered) r).hello().version());
                if (found.isEmpty() || !contradicted.isEmpty()) {
                    untested.add("TLS 1.3 groups: list incomplete: a hello offering "
                            + (contradicted.isEmpty() ? "every group" : String.join(", ", contradicted) + " (chosen before with a key share)")
                            + " and an empty key_share was not accepted (" + why + ")");
                }
                break; // otherwise: no group left in the list is accepted; complete
            }
        }
        seen.stream().map(NamedGroups::nameOf).filter(n -> !found.contains(n)).forEach(found::add);
        return found;
    }

    private static List<String> groupsSeen(List<ServerReply.Answered> answers) {
        return answers.stream().map(a -> a.hello().keyShareGroup()).filter(OptionalInt::isPresent)
                .map(g -> NamedGroups.nameOf(g.getAsInt())).distinct().toList();
    }
}
