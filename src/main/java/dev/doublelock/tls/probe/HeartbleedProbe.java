package dev.doublelock.tls.probe;

import dev.doublelock.tls.Exposure;

import java.util.List;
import java.util.function.Consumer;

/**
 * Heartbleed (CVE-2014-0160), as testssl.sh tests it: after the server's first flight, a heartbeat request
 * (RFC 6520) that claims a 16 KiB payload and carries none. A fixed server discards it (RFC 6520 §4) or alerts;
 * a vulnerable one answers with a heartbeat response that copies 16 KiB of its memory. Only where the server
 * echoed the heartbeat extension.
 */
final class HeartbleedProbe {
    static final int CLAIMED = 0x4000;

    private HeartbleedProbe() {
    }

    static Exposure run(HelloExchange exchange, SuiteEnumeration best, boolean heartbeatEchoed, Consumer<String> untested) {
        if (!heartbeatEchoed) return Exposure.notApplicable("no heartbeat extension (RFC 6520) in the ServerHello");
        List<Integer> suites = best.accepted().subList(0, Math.min(best.accepted().size(), Offers.CHUNK));
        ClientHello hello = ClientHello.of(best.version(), suites, Offers.ecGroups(), exchange.target().sniName());
        return FlightProbe.run(exchange, "Heartbleed", hello, (flight, c, deadline, why) -> {
            if (!FlightProbe.complete(flight, best.version().wire(), why)) return null;
            byte[] request = {1, (byte) (CLAIMED >> 8), (byte) CLAIMED}; // type request, payload_length, no payload
            c.socket().getOutputStream().write(RecordIo.record(24, best.version().wire(), request));
            c.socket().getOutputStream().flush();
            for (int i = 0; i < 4; i++) { // skip a few unrelated records (e.g. a NewSessionTicket is not sent yet, but be lenient)
                RecordIo.Next n = RecordIo.next(c.socket(), deadline, exchange.reactionMillis());
                switch (n) {
                    case RecordIo.Next.Received r when r.type() == 24 && r.payload().length > request.length ->
                            { return Exposure.vulnerable("answered a heartbeat request claiming " + CLAIMED + " bytes and carrying "
                                    + "none with " + r.payload().length + " bytes of heartbeat response: its memory"); }
                    case RecordIo.Next.Received r when r.type() == 24 ->
                            { return Exposure.notVulnerable("answered the heartbeat request with " + r.payload().length + " bytes only"); }
                    case RecordIo.Next.Received r when r.type() == 21 ->
                            { return Exposure.notVulnerable("answered the oversized heartbeat request with alert "
                                    + HandshakeParser.alertName(r.alert())); }
                    case RecordIo.Next.Received r -> { }
                    case RecordIo.Next.Silent s ->
                            { return Exposure.notVulnerable("discarded the oversized heartbeat request (RFC 6520 §4)"); }
                    case RecordIo.Next.Closed cl ->
                            { return Exposure.notVulnerable(cl.how() + " on the oversized heartbeat request"); }
                    case RecordIo.Next.Garbage g -> {
                        why.accept("answered the heartbeat request with " + g.what());
                        return null;
                    }
                }
            }
            why.accept("kept sending other records after the heartbeat request");
            return null;
        }, untested);
    }
}
