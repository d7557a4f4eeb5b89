package dev.doublelock.tls.probe;

import dev.doublelock.tls.Exposure;
import dev.doublelock.tls.TlsVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * TLS_FALLBACK_SCSV (RFC 7507): a hello for the second-highest version the server accepts, with the SCSV among
 * its suites. A server that protects against downgrade answers inappropriate_fallback (86); one that completes
 * the older handshake does not. Needs two versions; at TLS 1.3 and 1.2 the fallback hello is the TLS 1.2 one.
 */
final class FallbackScsvProbe {
    static final int TLS_FALLBACK_SCSV = 0x5600;
    static final int INAPPROPRIATE_FALLBACK = 86;

    private FallbackScsvProbe() {
    }

    /**
     * @param accepted the suites found per TLS ≤ 1.2 version
     * @param versions every accepted version (TLS 1.3 included)
     */
    static Exposure run(HelloExchange exchange, List<SuiteEnumeration> accepted, List<TlsVersion> versions, Consumer<String> untested) {
        List<TlsVersion> sorted = versions.stream().sorted().toList();
        if (sorted.size() < 2) {
            return Exposure.notApplicable("only " + (sorted.isEmpty() ? "no version" : sorted.getFirst().displayName())
                    + " accepted: nothing to fall back to");
        }
        TlsVersion lower = sorted.get(sorted.size() - 2);
        SuiteEnumeration at = accepted.stream().filter(e -> e.version() == lower && e.supported()).findFirst().orElse(null);
        if (at == null) {
            untested.accept("fallback SCSV: no suites known at " + lower.displayName());
            return null;
        }
        List<Integer> suites = new ArrayList<>(at.accepted().subList(0, Math.min(at.accepted().size(), Offers.CHUNK - 1)));
        suites.add(TLS_FALLBACK_SCSV);
        ClientHello hello = ClientHello.of(lower, suites, Offers.ecGroups(), exchange.target().sniName());
        return FlightProbe.run(exchange, "fallback SCSV", hello, (flight, c, deadline, why) -> switch (flight) {
            case ServerReply.Refused r when r.reason().contains(HandshakeParser.alertName(INAPPROPRIATE_FALLBACK)) ->
                    Exposure.notVulnerable("answered a " + lower.displayName() + " hello with TLS_FALLBACK_SCSV with "
                            + "inappropriate_fallback (RFC 7507)");
            case ServerReply.Answered a when a.hello().version() == lower.wire() && a.hello().downgradeSentinel() ->
                    Exposure.notVulnerable("answered a " + lower.displayName() + " hello with TLS_FALLBACK_SCSV with a ServerHello "
                            + "carrying the RFC 8446 downgrade sentinel (\"DOWNGRD\"): TLS 1.3 clients detect the downgrade, "
                            + "though RFC 7507's inappropriate_fallback alert is not sent");
            case ServerReply.Answered a when a.hello().version() == lower.wire() ->
                    Exposure.vulnerable("accepted a " + lower.displayName() + " hello with TLS_FALLBACK_SCSV although it speaks "
                            + sorted.getLast().displayName() + ": a downgrade goes unnoticed (RFC 7507)");
            default -> {
                why.accept("the " + lower.displayName() + " hello with TLS_FALLBACK_SCSV got neither inappropriate_fallback "
                        + "nor a handshake: " + FlightProbe.describe(flight));
                yield null;
            }
        }, untested);
    }
}
