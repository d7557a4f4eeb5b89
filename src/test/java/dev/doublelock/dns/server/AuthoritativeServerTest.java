package dev.doublelock.dns.server;

import dev.doublelock.dns.DnsjavaResolver;
import dev.doublelock.dns.Lookup;
import dev.doublelock.dns.MxHost;
import dev.doublelock.dns.MxOrder;
import dev.doublelock.dns.TrustAnchors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lab's authoritative server over real loopback UDP and TCP, asked by dnsjava's own client and validated by
 * doublelock's DNSSEC-validating resolver (dnsjava's ValidatingResolver under the zone's DS as trust anchor).
 */
class AuthoritativeServerTest {
    static final Name ZONE = ZoneBuilder.zoneName("lab.test");
    static ZoneKeys keys;
    static AuthoritativeServer server;
    static ServedZone zone;

    @BeforeAll
    static void start() throws IOException {
        keys = ZoneKeys.generate();
        ZoneBuilder b = ZoneBuilder.forZone(ZONE).nameServer(Name.fromConstantString("ns.lab.test."),
                List.of(InetAddress.getLoopbackAddress()));
        b.mx(b.name("good"), 10, b.name("good")).address(b.name("good"), InetAddress.getByName("127.0.0.1"))
                .address(b.name("good"), InetAddress.getByName("::1"))
                .mx(b.name("deep"), 10, b.name("a.b.deep")).address(b.name("a.b.deep"), InetAddress.getByName("127.0.0.2"));
        for (int i = 0; i < 40; i++) {
            b.txt(b.name("big"), List.of("a long text record number " + i + " that makes the RRset larger than 1232 octets"));
        }
        zone = ZoneSigner.sign(b.build(), keys, Instant.now(), Duration.ofDays(2));
        // generous rate limit: this class asks a lot from one address; the limit itself is tested with its own server
        server = AuthoritativeServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> zone,
                DnsLimits.defaults().withRateLimit(new DnsLimits.RateLimit(10_000, 10_000, 2, 24, 56, 100)));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static Message ask(AuthoritativeServer s, String name, int type, boolean tcp) throws IOException {
        SimpleResolver r = new SimpleResolver(s.address());
        r.setTCP(tcp);
        r.setTimeout(Duration.ofSeconds(2));
        r.setEDNS(0, 1232, ExtendedFlags.DO);
        return r.send(Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, DClass.IN)));
    }

    static DnsjavaResolver validating() {
        return DnsjavaResolver.builder().server("127.0.0.1:" + server.address().getPort())
                .trustAnchors(new TrustAnchors(zone.ds().orElseThrow().toString())).timeout(Duration.ofSeconds(2))
                .mxOrder(MxOrder.stable()).build();
    }

    @Test
    void answersOverUdpWithSignaturesThatVerify() throws Exception {
        Message m = ask(server, "good.lab.test.", Type.MX, false);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getHeader().getFlag(Flags.RA)).as("never recursion available").isFalse();
        assertThat(m.getHeader().getFlag(Flags.TC)).isFalse();
        RRset mx = m.getSectionRRsets(Section.ANSWER).get(0);
        assertThat(mx.getType()).isEqualTo(Type.MX);
        assertThat(mx.sigs()).hasSize(1);
        DNSKEYRecord zsk = keys.zskRecord(ZONE, 300);
        DNSSEC.verify(mx, mx.sigs().get(0), zsk); // throws when the signature is wrong
        // additional section: the MX host's addresses
        assertThat(m.getSection(Section.ADDITIONAL)).anyMatch(r -> r.getType() == Type.A)
                .anyMatch(r -> r.getType() == Type.AAAA);
    }

    @Test
    void answersOverTcp() throws Exception {
        long before = server.stats().tcpQueries();
        Message m = ask(server, "a.b.deep.lab.test.", Type.A, true);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getSection(Section.ANSWER)).anyMatch(r -> r.rdataToString().equals("127.0.0.2"));
        assertThat(server.stats().tcpQueries()).isGreaterThan(before);
    }

    @Test
    void aTooLargeUdpAnswerIsTruncatedAndTheClientGetsItOverTcp() throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromConstantString("big.lab.test."), Type.TXT, DClass.IN));
        byte[] raw = udp(server, query.toWire());
        Message truncated = new Message(raw);
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(truncated.getSection(Section.ANSWER)).isEmpty();
        assertThat(raw.length).isLessThanOrEqualTo(512);

        long tcpBefore = server.stats().tcpQueries();
        Message full = ask(server, "big.lab.test.", Type.TXT, false); // dnsjava retries over TCP by itself
        assertThat(full.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(full.getSection(Section.ANSWER)).filteredOn(r -> r.getType() == Type.TXT).hasSize(40);
        assertThat(server.stats().tcpQueries()).isGreaterThan(tcpBefore);
    }

    @Test
    void namesOutsideTheZoneAreRefused() throws Exception {
        long before = server.stats().refused();
        for (String name : List.of("example.com.", "test.", ".", "lab.test.example.")) {
            Message m = ask(server, name, Type.A, false);
            assertThat(m.getRcode()).as(name).isEqualTo(Rcode.REFUSED);
            assertThat(m.getSection(Section.ANSWER)).isEmpty();
            assertThat(m.getHeader().getFlag(Flags.RA)).isFalse();
        }
        Message axfr = Message.newQuery(Record.newRecord(ZONE, Type.AXFR, DClass.IN));
        assertThat(new Message(tcp(server, axfr.toWire())).getRcode()).as("no zone transfer").isEqualTo(Rcode.REFUSED);
        assertThat(server.stats().refused()).isGreaterThanOrEqualTo(before + 5);
    }

    @Test
    void otherOpcodesAndEdnsVersionsAreNotImplemented() throws Exception {
        Message notify = Message.newQuery(Record.newRecord(ZONE, Type.SOA, DClass.IN));
        notify.getHeader().setOpcode(org.xbill.DNS.Opcode.NOTIFY);
        assertThat(new Message(udp(server, notify.toWire())).getRcode()).isEqualTo(Rcode.NOTIMP);
        Message edns1 = Message.newQuery(Record.newRecord(ZONE, Type.SOA, DClass.IN));
        edns1.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
        Message badvers = new Message(udp(server, edns1.toWire()));
        assertThat(badvers.getRcode()).isEqualTo(Rcode.BADVERS);
        assertThat(badvers.getSection(Section.ANSWER)).isEmpty();
        Message chaos = Message.newQuery(Record.newRecord(Name.fromConstantString("version.bind."), Type.TXT, DClass.CH));
        assertThat(new Message(udp(server, chaos.toWire())).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void anyOverUdpIsTruncatedAndAnsweredOverTcp() throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromConstantString("good.lab.test."), Type.ANY, DClass.IN));
        assertThat(new Message(udp(server, query.toWire())).getHeader().getFlag(Flags.TC)).isTrue();
        Message overTcp = ask(server, "good.lab.test.", Type.ANY, true);
        assertThat(overTcp.getSectionRRsets(Section.ANSWER)).extracting(RRset::getType)
                .contains(Type.MX, Type.A, Type.AAAA, Type.NSEC);
    }

    @Test
    void nxdomainCarriesNsecRecordsThatCoverTheNameAndTheWildcard() throws Exception {
        Message m = ask(server, "nothere.lab.test.", Type.A, false);
        assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        List<NSECRecord> nsecs = nsecs(m);
        Name qname = Name.fromConstantString("nothere.lab.test.");
        Name wildcard = Name.fromConstantString("*.lab.test.");
        assertThat(nsecs).anyMatch(n -> covers(n, qname)).anyMatch(n -> covers(n, wildcard));
        assertThat(m.getSection(Section.AUTHORITY)).anyMatch(r -> r.getType() == Type.SOA)
                .anyMatch(r -> r instanceof RRSIGRecord s && s.getTypeCovered() == Type.NSEC);
        // and a validating resolver accepts the proof
        assertThat(validating().addresses("nothere.lab.test")).isInstanceOfSatisfying(Lookup.NxDomain.class,
                n -> assertThat(n.authentic()).isTrue());
    }

    @Test
    void nodataCarriesTheNamesNsecWithoutTheType() throws Exception {
        Message m = ask(server, "good.lab.test.", Type.TXT, false);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
        NSECRecord nsec = nsecs(m).get(0);
        assertThat(nsec.getName()).isEqualTo(Name.fromConstantString("good.lab.test."));
        assertThat(nsec.hasType(Type.MX)).isTrue();
        assertThat(nsec.hasType(Type.TXT)).isFalse();
        assertThat(validating().txt("good.lab.test")).isInstanceOfSatisfying(Lookup.NoData.class,
                n -> assertThat(n.authentic()).isTrue());
        // an empty non-terminal (b.deep, above a.b.deep) exists without data: NODATA, not NXDOMAIN
        Message ent = ask(server, "b.deep.lab.test.", Type.A, false);
        assertThat(ent.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nsecs(ent)).anyMatch(n -> covers(n, Name.fromConstantString("b.deep.lab.test.")));
        assertThat(validating().addresses("b.deep.lab.test")).isInstanceOfSatisfying(Lookup.NoData.class,
                n -> assertThat(n.authentic()).isTrue());
    }

    @Test
    void aValidatingResolverFindsTheMxAndItsAddressesAuthentic() {
        Lookup<List<MxHost>> mx = validating().mx("good.lab.test");
        assertThat(mx).isInstanceOfSatisfying(Lookup.Found.class, f -> assertThat(f.authentic()).isTrue());
        Lookup<List<InetAddress>> a = validating().addresses("a.b.deep.lab.test");
        assertThat(a).isInstanceOfSatisfying(Lookup.Found.class, f -> assertThat(f.authentic()).isTrue());
    }

    @Test
    void withoutTheDoBitThereAreNoSignatures() throws Exception {
        SimpleResolver r = new SimpleResolver(server.address());
        r.setTimeout(Duration.ofSeconds(2));
        Message m = r.send(Message.newQuery(Record.newRecord(Name.fromConstantString("good.lab.test."), Type.MX, DClass.IN)));
        assertThat(m.getSection(Section.ANSWER)).isNotEmpty().noneMatch(x -> x.getType() == Type.RRSIG);
    }

    @Test
    void malformedQueriesAreDroppedAndTheServerGoesOn() throws Exception {
        long before = server.stats().malformed();
        Random random = new Random(11);
        List<byte[]> junk = new ArrayList<>();
        junk.add(new byte[0]);
        junk.add(new byte[] {1, 2, 3});
        junk.add(new byte[4000]); // above the query size limit
        for (int i = 0; i < 20; i++) {
            byte[] b = new byte[12 + random.nextInt(60)];
            random.nextBytes(b);
            b[2] &= 0x7f; // QR clear: a "query" with garbage sections
            junk.add(b);
        }
        Message response = Message.newQuery(Record.newRecord(Name.fromConstantString("good.lab.test."), Type.A, DClass.IN));
        response.getHeader().setFlag(Flags.QR);
        junk.add(response.toWire()); // a response: never answered (no loops, no reflection)
        try (DatagramSocket s = new DatagramSocket()) {
            for (byte[] b : junk) s.send(new DatagramPacket(b, b.length, server.address()));
            s.setSoTimeout(300);
            byte[] buf = new byte[2048];
            int answered = 0;
            try {
                while (true) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    Message m = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
                    assertThat(m.getRcode()).as("garbage that parses is at most FORMERR/NOTIMP/REFUSED")
                            .isIn(Rcode.FORMERR, Rcode.NOTIMP, Rcode.REFUSED, Rcode.NOERROR, Rcode.NXDOMAIN);
                    answered++;
                }
            } catch (SocketTimeoutException done) {
                // no more answers
            }
            assertThat(answered).isLessThan(junk.size() - 3);
        }
        // TCP: a length prefix promising more than the limit, and a connection that sends half a query then stops
        try (Socket t = new Socket()) {
            t.connect(server.address(), 2000);
            t.setSoTimeout(3000);
            new DataOutputStream(t.getOutputStream()).writeShort(60000);
            assertThat(t.getInputStream().read()).as("closed by the server").isEqualTo(-1);
        }
        assertThat(server.stats().malformed()).isGreaterThan(before + 3);
        assertThat(ask(server, "good.lab.test.", Type.A, false).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(ask(server, "good.lab.test.", Type.A, true).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void tcpConnectionsAreCappedAndTimedOut() throws Exception {
        try (AuthoritativeServer capped = AuthoritativeServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                () -> zone, DnsLimits.defaults().withMaxTcpConnections(2).withTcpIdleTimeout(Duration.ofMillis(500)))) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Socket s = new Socket();
                    s.connect(capped.address(), 2000);
                    idle.add(s);
                }
                Thread.sleep(100);
                try (Socket third = new Socket()) {
                    third.connect(capped.address(), 2000);
                    third.setSoTimeout(2000);
                    assertThat(third.getInputStream().read()).as("over the cap: closed at once").isEqualTo(-1);
                }
                assertThat(capped.stats().tcpConnectionsRejected()).isEqualTo(1);
                // the idle ones are closed after the idle timeout
                for (Socket s : idle) {
                    s.setSoTimeout(3000);
                    long t0 = System.nanoTime();
                    assertThat(s.getInputStream().read()).isEqualTo(-1);
                    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
                }
            } finally {
                for (Socket s : idle) s.close();
            }
            Thread.sleep(100);
            assertThat(ask(capped, "good.lab.test.", Type.A, true).getRcode()).as("slots free again").isEqualTo(Rcode.NOERROR);
        }
    }

    @Test
    void theRateLimitDropsAndTruncatesUdpAnswersPerPrefixButNeverTcp() throws Exception {
        // 1 answer a second after a burst of 5: even a sender descheduled for a second gets at most 7 through
        DnsLimits.RateLimit limit = new DnsLimits.RateLimit(1, 5, 2, 24, 56, 100);
        try (AuthoritativeServer limited = AuthoritativeServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                () -> zone, DnsLimits.defaults().withRateLimit(limit))) {
            int full = 0;
            int slipped = 0;
            byte[] query = Message.newQuery(Record.newRecord(Name.fromConstantString("good.lab.test."), Type.A, DClass.IN)).toWire();
            try (DatagramSocket s = new DatagramSocket()) {
                // all at once, then read: the burst of 5 is (nearly) all that passes
                for (int i = 0; i < 30; i++) s.send(new DatagramPacket(query, query.length, limited.address()));
                s.setSoTimeout(500);
                try {
                    while (true) {
                        byte[] buf = new byte[2048];
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        s.receive(p);
                        Message m = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
                        if (m.getHeader().getFlag(Flags.TC)) slipped++;
                        else full++;
                    }
                } catch (SocketTimeoutException e) {
                    // all answers read
                }
            }
            int silent = 30 - full - slipped;
            assertThat(full).isBetween(5, 7);
            assertThat(slipped).as("every second answer over the limit goes out truncated").isBetween(11, 13);
            assertThat(limited.stats().rateLimitedDropped()).isEqualTo(silent);
            assertThat(limited.stats().rateLimitedSlipped()).isEqualTo(slipped);
            // per prefix: another /24 (127.0.1.0/24, still loopback) has its own bucket
            try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.1.1"), 0))) {
                other.setSoTimeout(2000);
                other.send(new DatagramPacket(query, query.length, limited.address()));
                byte[] buf = new byte[2048];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                other.receive(p);
                Message m = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
                assertThat(m.getHeader().getFlag(Flags.TC)).isFalse();
                assertThat(m.getSection(Section.ANSWER)).isNotEmpty();
            }
            // TCP is not limited: a truncated client gets its answer there
            assertThat(ask(limited, "good.lab.test.", Type.A, true).getRcode()).isEqualTo(Rcode.NOERROR);
        }
    }

    private static byte[] udp(AuthoritativeServer s, byte[] query) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(2000);
            socket.send(new DatagramPacket(query, query.length, s.address()));
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            return java.util.Arrays.copyOf(buf, p.getLength());
        }
    }

    private static byte[] tcp(AuthoritativeServer s, byte[] query) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(s.address(), 2000);
            socket.setSoTimeout(2000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            byte[] reply = new byte[in.readUnsignedShort()];
            in.readFully(reply);
            return reply;
        }
    }

    private static List<NSECRecord> nsecs(Message m) {
        return m.getSection(Section.AUTHORITY).stream().filter(r -> r instanceof NSECRecord).map(r -> (NSECRecord) r).toList();
    }

    /** owner < name < next in canonical order, or the last NSEC (next = apex) with owner < name. */
    static boolean covers(NSECRecord nsec, Name name) {
        Name owner = nsec.getName();
        Name next = nsec.getNext();
        return owner.compareTo(name) < 0 && (next.compareTo(name) > 0 || next.compareTo(owner) <= 0);
    }
}
