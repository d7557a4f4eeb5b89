package dev.doublelock.tls.probe;

import dev.doublelock.tls.CipherSuites;
import dev.doublelock.tls.Exposure;
import dev.doublelock.tls.SessionResumption;
import dev.doublelock.tls.TlsVersion;
import org.bouncycastle.tls.TlsClientProtocol;

import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Session resumption and Ticketbleed, at the best TLS ≤ 1.2 version. One full handshake through BouncyCastle's TLS
 * (trusting exactly the leaf the plaintext probes saw, as the renegotiation probe does; with the anonymous suites it
 * accepted where it showed none) yields the server's session
 * ID and, if it issues one, a session ticket (RFC 5077 NewSessionTicket). Then one record-level hello offers the
 * session ID (without the ticket extension; a server that issues tickets often sends no session ID, and then a second
 * full handshake without the extension gets one, as testssl.sh's {@code -no_ticket} does), one offers the ticket with
 * a 6-byte session ID of the client's own: the server resumed if it answers
 * ServerHello then ChangeCipherSpec (the abbreviated handshake) echoing that ID (RFC 5246 §7.4.1.3, RFC 5077 §3.4).
 * Ticketbleed (CVE-2016-9244, F5 BIG-IP) is the ticket hello answered with a 32-byte session ID that starts with the
 * client's 6 bytes: the other 26 are the server's memory. As testssl.sh's {@code run_ticketbleed} does, that is
 * confirmed with two more such hellos: vulnerable if every echo has the client's prefix and the trailing bytes
 * differ between them (memory, not padding).
 */
final class ResumptionProbe {
    static final int CLIENT_ID_LENGTH = 6;
    static final int ATTEMPTS = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the probe found; {@code ticketbleed} is null when it could not tell (with an untested entry). */
    record Result(SessionResumption resumption, Exposure ticketbleed) {
    }

    /** The server's side of one full handshake. */
    private record Full(TlsVersion version, int suite, byte[] sessionId, byte[] ticket) {
    }

    private ResumptionProbe() {
    }

    static Result run(HelloExchange exchange, SuiteEnumeration best, List<X509Certificate> chain, boolean ticketsEchoed,
                      Consumer<String> untested) {
        Exposure noTickets = Exposure.notApplicable("no session ticket extension in the ServerHello");
        if (best.version() == TlsVersion.SSL_3_0) {
            return new Result(notTried("SSL 3.0 only"), ticketsEchoed ? null : noTickets);
        }
        String name = "session resumption";
        // no certificate seen: only the anonymous suites the server accepted, where there is nothing to pin
        boolean anonymous = chain.isEmpty();
        int[] suites = ProbeTlsClient.completable(best.accepted().stream().map(CipherSuites::byCode).flatMap(Optional::stream)
                .toList(), anonymous);
        if (anonymous && suites.length == 0) {
            if (ticketsEchoed) untested.accept("ticketbleed: not tested: no certificate seen to pin the full handshake to");
            return new Result(notTried("no certificate seen to pin the full handshake to"), ticketsEchoed ? null : noTickets);
        }
        if (suites.length == 0) {
            String why = "none of the server's " + best.version().displayName() + " suites is one BouncyCastle's TLS completes";
            if (ticketsEchoed) untested.accept("ticketbleed: not tested: " + why);
            return new Result(notTried(why), ticketsEchoed ? null : noTickets);
        }
        StringBuilder why = new StringBuilder();
        Full full = fullHandshake(exchange, best.version(), suites, anonymous ? null : chain.getFirst(), true, why, untested, name);
        if (full == null) {
            if (ticketsEchoed) untested.accept("ticketbleed: not tested: the full handshake failed");
            return new Result(notTried("the full handshake failed"), ticketsEchoed ? null : noTickets);
        }
        List<Integer> offer = new ArrayList<>();
        offer.add(full.suite());
        best.accepted().stream().filter(s -> s != full.suite()).limit(Offers.CHUNK - 1).forEach(offer::add);
        ClientHello base = ClientHello.of(full.version(), offer, Offers.ecGroups(), exchange.target().sniName());

        // the ID and the ticket are tried at once, each on its own connections
        java.util.concurrent.CompletableFuture<IdResult> idResult = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> byId(exchange, best, suites, anonymous ? null : chain.getFirst(), full, base, untested, name),
                r -> Thread.ofVirtual().start(r));
        Optional<Boolean> byTicket = Optional.empty();
        Exposure ticketbleed;
        String ticketDetail;
        if (!ticketsEchoed || full.ticket() == null) {
            ticketDetail = "ticket: " + (ticketsEchoed ? "none issued in the full handshake" : "no ticket extension");
            ticketbleed = ticketsEchoed ? Exposure.notApplicable("the server issued no session ticket in a full handshake") : noTickets;
        } else {
            List<byte[]> echoes = new ArrayList<>();
            List<byte[]> sent = new ArrayList<>();
            Boolean resumed = null;
            String failure = null;
            for (int i = 0; i < ATTEMPTS; i++) {
                byte[] id = new byte[CLIENT_ID_LENGTH];
                RANDOM.nextBytes(id);
                ServerReply r = exchange.reply(base.resuming(id, full.ticket()));
                if (!(r instanceof ServerReply.Answered a)) {
                    failure = FlightProbe.describe(r);
                    break;
                }
                if (i == 0) resumed = a.abbreviated();
                if (!a.abbreviated()) break;
                echoes.add(a.hello().sessionId());
                sent.add(id);
                if (!overlong(id, a.hello().sessionId())) break; // a correct echo (or another ID): no need to ask again
            }
            if (resumed == null) {
                untested.accept("ticketbleed: the hello offering the ticket got " + failure);
                ticketDetail = "ticket: ?";
                ticketbleed = null;
            } else {
                byTicket = Optional.of(resumed);
                ticketDetail = "ticket: " + (resumed ? "yes (abbreviated handshake)" : "no (a full handshake again)");
                ticketbleed = judge(resumed, sent, echoes, failure, untested);
            }
        }
        IdResult id = idResult.join();
        return new Result(new SessionResumption(id.resumed(), byTicket, id.detail() + "; " + ticketDetail + " (" + full.version().displayName()
                + ", " + CipherSuites.nameOf(full.suite()) + ")"), ticketbleed);
    }

    private record IdResult(Optional<Boolean> resumed, String detail) {
    }

    /** Resumption by session ID: a hello offering the ID of a full handshake, without the ticket extension. */
    private static IdResult byId(HelloExchange exchange, SuiteEnumeration best, int[] suites, X509Certificate leaf, Full full,
                                 ClientHello base, Consumer<String> untested, String name) {
        // A server that issues a ticket may leave the session ID empty (RFC 5077 §3.4, OpenSSL does): then the ID is
        // tried as a client without tickets would, after a full handshake without the extension (testssl: -no_ticket).
        Full byIdFull = full;
        if (full.sessionId().length == 0 && full.ticket() != null) {
            StringBuilder why2 = new StringBuilder();
            byIdFull = fullHandshake(exchange, best.version(), suites, leaf, false, why2, untested,
                    name + " by ID");
        }
        Optional<Boolean> byId = Optional.empty();
        String idDetail;
        if (byIdFull == null) {
            idDetail = "ID: ? (the full handshake without tickets failed)";
        } else if (byIdFull.sessionId().length == 0) {
            byId = Optional.of(false);
            idDetail = "ID: no (the full handshake's ServerHello had no session ID)";
        } else {
            byte[] offered = byIdFull.sessionId();
            ServerReply r = exchange.reply(base.resuming(offered, null));
            if (r instanceof ServerReply.Answered a) {
                boolean resumed = a.abbreviated() && Arrays.equals(a.hello().sessionId(), offered);
                byId = Optional.of(resumed);
                idDetail = "ID: " + (resumed ? "yes (abbreviated handshake)" : "no (a full handshake again)");
            } else {
                untested.accept(name + " by ID: the hello offering the session ID got " + FlightProbe.describe(r));
                idDetail = "ID: ?";
            }
        }

        return new IdResult(byId, idDetail);
    }

    /** Ticketbleed from the echoes of the ticket hellos (each with its own random 6-byte session ID). */
    private static Exposure judge(boolean resumed, List<byte[]> sent, List<byte[]> echoes, String failure, Consumer<String> untested) {
        if (!resumed) return Exposure.notVulnerable("did not resume with its own ticket, so echoed no session ID");
        byte[] first = echoes.getFirst();
        if (Arrays.equals(first, sent.getFirst())) {
            return Exposure.notVulnerable("resumed with the ticket and echoed the client's " + CLIENT_ID_LENGTH + "-byte session ID as sent");
        }
        if (!overlong(sent.getFirst(), first)) {
            return Exposure.notVulnerable("resumed with the ticket and answered with a session ID of its own ("
                    + first.length + " bytes, not the client's)");
        }
        if (echoes.size() < ATTEMPTS) {
            untested.accept("ticketbleed: a " + first.length + "-byte echo of the " + CLIENT_ID_LENGTH + "-byte session ID, "
                    + "but the confirming hellos " + (failure != null ? "got " + failure : "were not resumed the same way"));
            return null;
        }
        List<String> tails = new ArrayList<>();
        for (int i = 0; i < echoes.size(); i++) {
            if (!overlong(sent.get(i), echoes.get(i))) {
                untested.accept("ticketbleed: the echoes of the session ID are not reproducible (" + (i + 1) + " of " + ATTEMPTS + ")");
                return null;
            }
            byte[] e = echoes.get(i);
            tails.add(HexFormat.of().formatHex(Arrays.copyOfRange(e, CLIENT_ID_LENGTH, e.length)));
        }
        if (!tails.get(0).equals(tails.get(1)) && !tails.get(1).equals(tails.get(2))) {
            return Exposure.vulnerable("echoed each " + CLIENT_ID_LENGTH + "-byte session ID sent with a ticket as 32 bytes: "
                    + (32 - CLIENT_ID_LENGTH) + " bytes of its memory each time, different in " + ATTEMPTS + " hellos (e.g. "
                    + tails.getFirst() + ")");
        }
        return Exposure.notVulnerable("echoed the " + CLIENT_ID_LENGTH + "-byte session ID as 32 bytes, but padded with the same "
                + "bytes each time (not memory)");
    }

    /** The Ticketbleed echo: 32 bytes that start with the client's shorter ID. */
    static boolean overlong(byte[] sent, byte[] echoed) {
        return echoed.length == 32 && sent.length < 32 && Arrays.equals(Arrays.copyOf(echoed, sent.length), sent);
    }

    private static SessionResumption notTried(String why) {
        return new SessionResumption(Optional.empty(), Optional.empty(), "not tried: " + why);
    }

    private static Full fullHandshake(HelloExchange exchange, TlsVersion version, int[] suites, X509Certificate leaf,
                                      boolean askForTicket, StringBuilder why, Consumer<String> untested, String name) {
        byte[] pinned; // null: anonymous suites only, no certificate is acceptable
        try {
            pinned = leaf == null ? null : leaf.getEncoded();
        } catch (CertificateEncodingException e) {
            untested.accept(name + ": the leaf seen before cannot be encoded: " + e.getMessage());
            return null;
        }
        HelloExchange.Connected<Full> r = exchange.connect((c, deadline) -> {
            c.socket().setSoTimeout((int) Math.max(1, Math.min(deadline.remainingMillis(), 10_000)));
            ProbeTlsClient client = new ProbeTlsClient(version, suites, exchange.target().sniName(), pinned, askForTicket);
            TlsClientProtocol protocol = new TlsClientProtocol(c.in(), c.socket().getOutputStream());
            try {
                protocol.connect(client);
            } catch (IOException | RuntimeException e) {
                why.append("the full handshake failed: ").append(e.getMessage());
                return null;
            }
            try {
                protocol.close();
            } catch (IOException ignored) {
                // a close_notify that cannot be sent changes nothing
            }
            return new Full(version, client.selectedSuite(), client.sessionId(), client.ticket());
        });
        return HelloExchange.settle(r, name, why, untested);
    }
}
