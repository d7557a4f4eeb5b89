package dev.doublelock.tls.probe;

import dev.doublelock.tls.CipherSuite;
import dev.doublelock.tls.CipherSuites;
import dev.doublelock.tls.Exposure;
import dev.doublelock.tls.SessionResumption;
import dev.doublelock.tls.TlsVersion;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.NewSessionTicket;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.Vector;
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
    private static final byte[] NONE = new byte[0];

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
        int[] suites = best.accepted().stream().map(CipherSuites::byCode).flatMap(Optional::stream)
                .filter(anonymous ? ResumptionProbe::anonymousCompletable : ResumptionProbe::completable)
                .mapToInt(CipherSuite::code).toArray();
        if (anonymous && suites.length == 0) {
            if (ticketsEchoed) untested.accept("ticketbleed: not tested: no certificate seen to pin the full handshake to");
            return new Result(notTried("no certificate seen to pin the full handshake to"), ticketsEchoed ? null : noTickets);
        }
        BcTlsCrypto crypto = new BcTlsCrypto(RANDOM);
        suites = TlsUtils.getSupportedCipherSuites(crypto, suites);
        if (suites.length == 0) {
            String why = "none of the server's " + best.version().displayName() + " suites is one BouncyCastle's TLS completes";
            if (ticketsEchoed) untested.accept("ticketbleed: not tested: " + why);
            return new Result(notTried(why), ticketsEchoed ? null : noTickets);
        }
        StringBuilder why = new StringBuilder();
        Full full = fullHandshake(exchange, best.version(), suites, anonymous ? null : chain.getFirst(), crypto, true, why, untested, name);
        if (full == null) {
            if (ticketsEchoed) untested.accept("ticketbleed: not tested: the full handshake failed");
            return new Result(notTried("the full handshake failed"), ticketsEchoed ? null : noTickets);
        }
        List<Integer> offer = new ArrayList<>();
        offer.add(full.suite());
        best.accepted().stream().filter(s -> s != full.suite()).limit(Offers.CHUNK - 1).forEach(offer::add);
        ClientHello base = ClientHello.of(full.version(), offer, Offers.ecGroups(), exchange.target().sniName());

        // A server that issues a ticket may leave the session ID empty (RFC 5077 §3.4, OpenSSL does): then the ID is
        // tried as a client without tickets would, after a full handshake without the extension (testssl: -no_ticket).
        Full byIdFull = full;
        if (full.sessionId().length == 0 && full.ticket() != null) {
            StringBuilder why2 = new StringBuilder();
            byIdFull = fullHandshake(exchange, best.version(), suites, anonymous ? null : chain.getFirst(), crypto, false, why2, untested,
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
        return new Result(new SessionResumption(byId, byTicket, idDetail + "; " + ticketDetail + " (" + full.version().displayName()
                + ", " + CipherSuites.nameOf(full.suite()) + ")"), ticketbleed);
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

    /** The anonymous (EC)DH suites BouncyCastle's DefaultTlsClient completes. */
    private static boolean anonymousCompletable(CipherSuite s) {
        return s.anonymous() && (s.keyExchange() == CipherSuite.KeyExchange.DH || s.keyExchange() == CipherSuite.KeyExchange.ECDH);
    }

    /** Key exchanges and authentications BouncyCastle's DefaultTlsClient completes. */
    private static boolean completable(CipherSuite s) {
        boolean kx = switch (s.keyExchange()) {
            case RSA, DHE, ECDHE -> true;
            default -> false;
        };
        boolean auth = switch (s.authentication()) {
            case RSA, DSS, ECDSA -> true;
            default -> false;
        };
        return kx && auth && !s.anonymous();
    }

    private static Full fullHandshake(HelloExchange exchange, TlsVersion version, int[] suites, X509Certificate leaf,
                                      BcTlsCrypto crypto, boolean askForTicket, StringBuilder why, Consumer<String> untested,
                                      String name) {
        byte[] pinned; // null: anonymous suites only, no certificate is acceptable
        try {
            pinned = leaf == null ? null : leaf.getEncoded();
        } catch (CertificateEncodingException e) {
            untested.accept(name + ": the leaf seen before cannot be encoded: " + e.getMessage());
            return null;
        }
        ProtocolVersion pv = switch (version) {
            case TLS_1_0 -> ProtocolVersion.TLSv10;
            case TLS_1_1 -> ProtocolVersion.TLSv11;
            default -> ProtocolVersion.TLSv12;
        };
        HelloExchange.Connected<Full> r = exchange.connect((c, deadline) -> {
            c.socket().setSoTimeout((int) Math.max(1, Math.min(deadline.remainingMillis(), 10_000)));
            byte[][] sessionId = {NONE};
            byte[][] ticket = {null};
            int[] selected = {-1};
            DefaultTlsClient client = new DefaultTlsClient(crypto) {
                @Override
                public ProtocolVersion[] getProtocolVersions() {
                    return new ProtocolVersion[]{pv};
                }

                @Override
                public int[] getCipherSuites() {
                    return suites.clone();
                }

                @Override
                protected Vector getSNIServerNames() {
                    return exchange.target().sniName().map(n -> {
                        Vector<ServerName> v = new Vector<>();
                        v.add(new ServerName(NameType.host_name, n.getBytes(StandardCharsets.US_ASCII)));
                        return v;
                    }).orElse(null);
                }

                @Override
                @SuppressWarnings({"unchecked", "rawtypes"})
                public Hashtable getClientExtensions() throws IOException {
                    Hashtable ext = super.getClientExtensions();
                    if (ext == null) ext = new Hashtable();
                    if (askForTicket) ext.put(ExtensionType.session_ticket, TlsUtils.EMPTY_BYTES); // RFC 5077 §3.2
                    else ext.remove(ExtensionType.session_ticket);
                    // not asked for: some servers echo encrypt_then_mac on a NULL-cipher suite, which BouncyCastle refuses
                    ext.remove(ExtensionType.encrypt_then_mac);
                    return ext;
                }

                @Override
                @SuppressWarnings({"rawtypes", "unchecked"})
                protected Vector getSupportedGroups(Vector roles) {
                    // every curve and FFDHE group BouncyCastle has (P-224, brainpool, P-521 too): whatever the server picked
                    Vector groups = new Vector();
                    for (int g = 1; g <= 0x0104 + 4; g++) {
                        if ((g < 0x0100 && g > 33) || !org.bouncycastle.tls.NamedGroup.canBeNegotiated(g, pv)) continue;
                        if (crypto.hasNamedGroup(g)) groups.add(g);
                    }
                    return groups;
                }

                @Override
                public org.bouncycastle.tls.TlsDHGroupVerifier getDHGroupVerifier() {
                    // any group the server uses: the probe sends no data, and the policy judges the DH size elsewhere
                    return group -> group.getP().bitLength() >= 512;
                }

                @Override
                public void notifySelectedCipherSuite(int suite) {
                    super.notifySelectedCipherSuite(suite);
                    selected[0] = suite;
                }

                @Override
                public void notifySessionID(byte[] id) {
                    sessionId[0] = id == null ? NONE : id.clone();
                }

                @Override
                public void notifyNewSessionTicket(NewSessionTicket t) {
                    ticket[0] = t.getTicket() == null || t.getTicket().length == 0 ? null : t.getTicket().clone();
                }

                @Override
                public TlsAuthentication getAuthentication() {
                    return new TlsAuthentication() {
                        @Override
                        public void notifyServerCertificate(TlsServerCertificate sc) throws IOException {
                            var cert = sc.getCertificate();
                            if (pinned == null || cert == null || cert.isEmpty()
                                    || !Arrays.equals(cert.getCertificateAt(0).getEncoded(), pinned)) {
                                throw new TlsFatalAlert(AlertDescription.bad_certificate); // not the leaf seen before
                            }
                        }

                        @Override
                        public TlsCredentials getClientCredentials(CertificateRequest request) {
                            return null;
                        }
                    };
                }
            };
            TlsClientProtocol protocol = new TlsClientProtocol(c.in(), c.socket().getOutputStream());
            try {
                protocol.connect(client);
            } catch (IOException | RuntimeException e) {
                why.append("the full handshake failed: ").append(e.getMessage());
                return null;
            }
            int suite = selected[0];
            try {
                protocol.close();
            } catch (IOException ignored) {
                // a close_notify that cannot be sent changes nothing
            }
            return new Full(version, suite, sessionId[0], ticket[0]);
        });
        return HelloExchange.settle(r, name, why, untested);
    }
}
