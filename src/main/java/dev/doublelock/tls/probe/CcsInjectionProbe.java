package dev.doublelock.tls.probe;

import dev.doublelock.tls.Exposure;

import java.util.List;
import java.util.function.Consumer;

/**
 * CCS injection (CVE-2014-0224), as testssl.sh tests it: right after the server's first flight, a
 * ChangeCipherSpec before any key exchange. A fixed server answers unexpected_message (or closes). A vulnerable
 * one accepts it and switches to keys made from an empty master secret, so the next record it cannot decrypt:
 * a second ChangeCipherSpec then gets bad_record_mac / decryption_failed (or nothing), never unexpected_message.
 */
final class CcsInjectionProbe {
    private static final int UNEXPECTED_MESSAGE = 10, BAD_RECORD_MAC = 20, DECRYPTION_FAILED = 21;

    private CcsInjectionProbe() {
    }

    static Exposure run(HelloExchange exchange, SuiteEnumeration best, Consumer<String> untested) {
        List<Integer> suites = best.accepted().subList(0, Math.min(best.accepted().size(), Offers.CHUNK));
        ClientHello hello = ClientHello.of(best.version(), suites, Offers.ecGroups(), exchange.target().sniName());
        int v = best.version().wire();
        return FlightProbe.run(exchange, "CCS injection", hello, (flight, c, deadline, why) -> {
            if (!FlightProbe.complete(flight, v, why)) return null;
            byte[] ccs = RecordIo.record(20, v, new byte[]{1});
            c.socket().getOutputStream().write(ccs);
            c.socket().getOutputStream().flush();
            RecordIo.Next first = RecordIo.next(c.socket(), deadline, exchange.reactionMillis());
            if (first instanceof RecordIo.Next.Received r && r.type() == 21) {
                return r.alert() == BAD_RECORD_MAC || r.alert() == DECRYPTION_FAILED
                        ? Exposure.vulnerable("accepted an early ChangeCipherSpec and failed to decrypt what followed (alert "
                        + HandshakeParser.alertName(r.alert()) + ")")
                        : Exposure.notVulnerable("answered an early ChangeCipherSpec with alert " + HandshakeParser.alertName(r.alert()));
            }
            if (first instanceof RecordIo.Next.Closed cl) return Exposure.notVulnerable(cl.how() + " on an early ChangeCipherSpec");
            if (!(first instanceof RecordIo.Next.Silent)) {
                why.accept("answered an early ChangeCipherSpec with something other than an alert");
                return null;
            }
            // silent: it took the ChangeCipherSpec; the next record tells whether it switched keys
            c.socket().getOutputStream().write(ccs);
            c.socket().getOutputStream().flush();
            RecordIo.Next second = RecordIo.next(c.socket(), deadline, exchange.reactionMillis());
            if (second instanceof RecordIo.Next.Received r && r.type() == 21) {
                if (r.alert() == UNEXPECTED_MESSAGE) {
                    return Exposure.notVulnerable("ignored one early ChangeCipherSpec and refused the second (unexpected_message)");
                }
                return Exposure.vulnerable("accepted an early ChangeCipherSpec: the record after it got alert "
                        + HandshakeParser.alertName(r.alert()) + " (it had switched to keys from an empty master secret)");
            }
            if (second instanceof RecordIo.Next.Closed cl) {
                return Exposure.notVulnerable("took an early ChangeCipherSpec silently, then " + cl.how() + " on the second");
            }
            // a server that switched keys could not read the second one and would alert: this one stayed in the handshake
            return Exposure.notVulnerable("ignored two early ChangeCipherSpec records (no alert, no decryption failure)");
        }, untested);
    }
}
