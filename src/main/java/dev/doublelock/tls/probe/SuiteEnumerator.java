package dev.doublelock.tls.probe;

import dev.doublelock.tls.CipherSuites;
import dev.doublelock.tls.TlsVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the suites a server accepts at one TLS ≤ 1.2 version by elimination: offer every suite (in chunks),
 * remove the one the server picks, ask again until it refuses. Then checks who orders the suites.
 */
final class SuiteEnumerator {
    private final HelloExchange exchange;
    private final boolean enumerate;

    SuiteEnumerator(HelloExchange exchange, boolean enumerate) {
        this.exchange = exchange;
        this.enumerate = enumerate;
    }

    SuiteEnumeration run(TlsVersion version) {
        List<Integer> accepted = new ArrayList<>();
        List<ServerReply.Answered> answers = new ArrayList<>();
        List<String> untested = new ArrayList<>();
        int chunksWithHits = 0;
        chunks:
        for (List<Integer> chunk : Offers.chunks(Offers.suites(version))) {
            boolean hit = false;
            while (!chunk.isEmpty()) {
                ServerReply reply = exchange.reply(hello(version, chunk));
                if (reply instanceof ServerReply.Answered a && a.hello().version() == version.wire()
                        && !a.hello().helloRetryRequest()) {
                    int suite = a.hello().cipherSuite();
                    if (!chunk.remove((Integer) suite)) {
                        untested.add(version.displayName() + ": server chose " + CipherSuites.nameOf(suite)
                                + ", which was not offered; suite list incomplete");
                        break chunks;
                    }
                    accepted.add(suite);
                    answers.add(a);
                    hit = true;
                    if (!enumerate) break chunks;
                } else if (reply instanceof ServerReply.Failed f) {
                    untested.add(version.displayName() + (accepted.isEmpty() ? ": not tested: " : ": suite list incomplete: ")
                            + f.reason());
                    break chunks;
                } else {
                    break; // refused (or answered with another version): nothing more in this chunk
                }
            }
            if (hit) chunksWithHits++;
        }
        Optional<Boolean> serverOrder = Optional.empty();
        if (accepted.size() >= 2 && untested.isEmpty()) {
            serverOrder = serverOrder(version, accepted.get(0), accepted.get(1));
            if (serverOrder.orElse(false) && chunksWithHits > 1) {
                accepted = serverPreference(version, accepted, untested);
            }
        }
        return new SuiteEnumeration(version, accepted, serverOrder, answers, untested);
    }

    private ClientHello hello(TlsVersion version, List<Integer> suites) {
        return ClientHello.of(version, suites, Offers.ecGroups(), exchange.target().sniName());
    }

    /** Offers two accepted suites in both orders: the same pick twice means the server decides. */
    private Optional<Boolean> serverOrder(TlsVersion version, int first, int second) {
        Optional<Integer> a = pick(version, List.of(first, second));
        Optional<Integer> b = pick(version, List.of(second, first));
        if (a.isEmpty() || b.isEmpty()) return Optional.empty();
        return Optional.of(a.get().equals(b.get()));
    }

    private Optional<Integer> pick(TlsVersion version, List<Integer> suites) {
        return exchange.reply(hello(version, suites)) instanceof ServerReply.Answered a
                && a.hello().version() == version.wire() ? Optional.of(a.hello().cipherSuite()) : Optional.empty();
    }

    /** Re-derives the server's order when the suites were found across several chunks. */
    private List<Integer> serverPreference(TlsVersion version, List<Integer> accepted, List<String> untested) {
        List<Integer> left = new ArrayList<>(accepted);
        List<Integer> ordered = new ArrayList<>();
        while (left.size() > 1) {
            Optional<Integer> p = pick(version, left.size() > Offers.CHUNK ? left.subList(0, Offers.CHUNK) : left);
            if (p.isEmpty() || !left.remove(p.get())) {
                untested.add(version.displayName() + ": server preference order incomplete");
                ordered.addAll(left);
                return ordered;
            }
            ordered.add(p.get());
        }
        ordered.addAll(left);
        return ordered;
    }
}
