package dev.doublelock.dns.server;

import dev.doublelock.io.DeadlineInputStream;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.DClass;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * An authoritative-only DNS server for one zone, over UDP and TCP on the same address and port. It answers
 * questions about names in its zone (AA set, RRSIGs and NSEC proofs when the query has the DO bit) and refuses
 * everything else: names outside the zone (REFUSED: it never recurses), other classes, zone transfers, opcodes
 * other than QUERY (NOTIMP), EDNS versions above 0 (BADVERS). ANY over UDP gets a truncated answer (RFC 8482's concern: ANY is the reflection
 * attacker's favourite), over TCP every RRset at the name.
 *
 * <p>Bounded ({@link DnsLimits}): queries above a size are dropped, UDP answers are truncated above the EDNS
 * payload (at most 1232 bytes, 512 without EDNS), TCP connections are capped in number, in idle time, in time per
 * query and in queries per connection, and UDP answers are response-rate limited per client prefix. Unparseable
 * datagrams and responses (QR set) are dropped without an answer, so the server cannot be made to talk to itself
 * or to another server.
 */
public final class AuthoritativeServer implements AutoCloseable {
    /** Counters since start (for tests, the lab's page and logs). */
    public record Stats(long udpQueries, long tcpQueries, long refused, long malformed, long truncated,
                        long rateLimitedDropped, long rateLimitedSlipped, long tcpConnectionsRejected) {
    }

    private final List<Supplier<ServedZone>> zones;
    private final DnsLimits limits;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Semaphore tcpSlots;
    private final ResponseRateLimiter rateLimiter;
    private final AtomicLong udpQueries = new AtomicLong();
    private final AtomicLong tcpQueries = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private final AtomicLong rateDropped = new AtomicLong();
    private final AtomicLong rateSlipped = new AtomicLong();
    private final AtomicLong tcpRejected = new AtomicLong();

    private AuthoritativeServer(List<Supplier<ServedZone>> zones, DnsLimits limits, DatagramSocket udp, ServerSocket tcp) {
        this.zones = List.copyOf(zones);
        this.limits = limits;
        this.udp = udp;
        this.tcp = tcp;
        this.tcpSlots = new Semaphore(limits.maxTcpConnections());
        this.rateLimiter = new ResponseRateLimiter(limits.rateLimit(), System::nanoTime);
    }

    /**
     * Binds UDP and TCP on {@code bind} (port 0: one free port for both) and starts answering.
     *
     * @throws BindException when the port is taken or may not be bound (below 1024 without the right)
     */
    public static AuthoritativeServer start(InetSocketAddress bind, Supplier<ServedZone> zone, DnsLimits limits)
            throws IOException {
        return start(bind, List.of(zone), limits);
    }

    /**
     * Serves several zones, e.g. a parent and the child zones it delegates to: each question goes to the deepest
     * zone that contains the name, except a DS question at a child's apex, which the parent answers.
     */
    public static AuthoritativeServer start(InetSocketAddress bind, List<Supplier<ServedZone>> zone, DnsLimits limits)
            throws IOException {
        DatagramSocket u = null;
        ServerSocket t = null;
        IOException last = null;
        for (int attempt = 0; attempt < (bind.getPort() == 0 ? 20 : 1) && t == null; attempt++) {
            u = new DatagramSocket(null);
            try {
                u.bind(bind);
                t = new ServerSocket();
                t.setReuseAddress(true);
                t.bind(new InetSocketAddress(bind.getAddress(), u.getLocalPort()), 64);
            } catch (IOException e) {
                last = e;
                u.close();
                if (t != null) t.close();
                t = null;
            }
        }
        if (t == null) {
            BindException e = new BindException((last == null ? "cannot bind" : last.getMessage()) + " (DNS on " + bind + ")");
            e.initCause(last);
            throw e;
        }
        AuthoritativeServer server = new AuthoritativeServer(zone, limits, u, t);
        Thread.ofPlatform().daemon().name("dns-udp-" + u.getLocalPort()).start(server::serveUdp);
        Thread.ofPlatform().daemon().name("dns-tcp-" + u.getLocalPort()).start(server::serveTcp);
        return server;
    }

    /** The bound address (UDP and TCP share it). */
    public InetSocketAddress address() {
        return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
    }

    public Stats stats() {
        return new Stats(udpQueries.get(), tcpQueries.get(), refused.get(), malformed.get(), truncated.get(),
                rateDropped.get(), rateSlipped.get(), tcpRejected.get());
    }

    private void serveUdp() {
        byte[] buf = new byte[65535];
        while (!udp.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (IOException e) {
                continue; // closed, or an ICMP error surfaced; the loop condition decides
            }
            try {
                byte[] reply = answerUdp(Arrays.copyOf(p.getData(), p.getLength()), p.getAddress());
                if (reply != null) udp.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
            } catch (IOException | RuntimeException e) {
                malformed.incrementAndGet(); // whatever a datagram does, the loop goes on
            }
        }
    }

    private byte[] answerUdp(byte[] wire, InetAddress client) {
        udpQueries.incrementAndGet();
        Message query = parse(wire);
        if (query == null) return null;
        Message reply = respond(query, true);
        ResponseRateLimiter.Decision decision = rateLimiter.decide(client);
        if (decision == ResponseRateLimiter.Decision.DROP) {
            rateDropped.incrementAndGet();
            return null;
        }
        if (decision == ResponseRateLimiter.Decision.SLIP) {
            rateSlipped.incrementAndGet();
            return truncatedReply(query).toWire();
        }
        OPTRecord opt = query.getOPT();
        int max = opt == null ? 512 : Math.max(512, Math.min(opt.getPayloadSize(), limits.maxUdpPayload()));
        byte[] out = reply.toWire();
        if (out.length <= max) return out;
        // without the additional section first (it is optional), else truncated: the client asks again over TCP
        for (Record r : reply.getSection(Section.ADDITIONAL)) {
            if (r.getType() != Type.OPT) reply.removeRecord(r, Section.ADDITIONAL);
        }
        out = reply.toWire();
        if (out.length <= max) return out;
        truncated.incrementAndGet();
        return truncatedReply(query).toWire();
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            Socket s;
            try {
                s = tcp.accept();
            } catch (IOException e) {
                continue;
            }
            if (!tcpSlots.tryAcquire()) {
                tcpRejected.incrementAndGet();
                closeQuietly(s);
                continue;
            }
            Thread.ofVirtual().name("dns-tcp-conn").start(() -> {
                try {
                    serveTcpConnection(s);
                } finally {
                    tcpSlots.release();
                }
            });
        }
    }

    private void serveTcpConnection(Socket s) {
        try (s) {
            DeadlineInputStream deadlines = new DeadlineInputStream(s.getInputStream(), s::setSoTimeout, Clock.systemUTC());
            DataInputStream in = new DataInputStream(deadlines);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            for (int n = 0; n < limits.maxQueriesPerTcpConnection(); n++) {
                deadlines.beginUnit(limits.tcpIdleTimeout(), limits.tcpMessageTimeout(), false);
                int length = in.readUnsignedShort();
                if (length < 12 || length > limits.maxQueryBytes()) {
                    malformed.incrementAndGet();
                    return;
                }
                byte[] wire = new byte[length];
                in.readFully(wire);
                tcpQueries.incrementAndGet();
                Message query = parse(wire);
                if (query == null) return;
                byte[] reply = respond(query, false).toWire(65535);
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (EOFException | SocketException e) {
            // the client closed, or reset
        } catch (IOException | RuntimeException e) {
            // timeout, or a query that broke parsing: the connection ends, the server goes on
        }
    }

    private Message parse(byte[] wire) {
        if (wire.length < 12 || wire.length > limits.maxQueryBytes()) {
            malformed.incrementAndGet();
            return null;
        }
        try {
            Message m = new Message(wire);
            if (m.getHeader().getFlag(Flags.QR)) {
                malformed.incrementAndGet(); // a response: never answer one
                return null;
            }
            return m;
        } catch (IOException | RuntimeException e) {
            malformed.incrementAndGet();
            return null;
        }
    }

    /** The answer to a parsed query; {@code overUdp} decides what ANY gets. */
    Message respond(Message query, boolean overUdp) {
        Header qh = query.getHeader();
        Message reply = new Message(qh.getID());
        Header h = reply.getHeader();
        h.setFlag(Flags.QR);
        if (qh.getFlag(Flags.RD)) h.setFlag(Flags.RD);
        if (qh.getFlag(Flags.CD)) h.setFlag(Flags.CD);
        h.setOpcode(qh.getOpcode());
        Record question = query.getQuestion();
        if (question != null) reply.addRecord(question, Section.QUESTION);
        OPTRecord opt = query.getOPT();
        boolean dnssecOk = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
        if (opt != null && opt.getVersion() > 0) {
            // RFC 6891 §6.1.3: only EDNS version 0 here; BADVERS (16) is the OPT's extended rcode 1, header rcode 0
            reply.addRecord(new OPTRecord(limits.maxUdpPayload(), Rcode.BADVERS >>> 4, 0, 0), Section.ADDITIONAL);
            return reply;
        }
        if (opt != null) {
            reply.addRecord(new OPTRecord(limits.maxUdpPayload(), 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
        }
        if (qh.getOpcode() != Opcode.QUERY) {
            h.setRcode(Rcode.NOTIMP);
            return reply;
        }
        if (question == null || qh.getCount(Section.QUESTION) != 1) {
            h.setRcode(Rcode.FORMERR);
            return reply;
        }
        int qtype = question.getType();
        ServedZone z = zoneFor(question.getName(), qtype);
        if (question.getDClass() != DClass.IN || z == null
                || qtype == Type.AXFR || qtype == Type.IXFR) {
            refused.incrementAndGet();
            h.setRcode(Rcode.REFUSED);
            return reply;
        }
        boolean everything = qtype == Type.ANY || qtype == Type.RRSIG;
        if (everything && overUdp) {
            truncated.incrementAndGet();
            return truncatedReply(query);
        }
        ServedZone.Answer a = z.lookup(question.getName(), everything ? Type.ANY : qtype);
        if (a.authoritative()) h.setFlag(Flags.AA);
        h.setRcode(a.rcode());
        add(reply, Section.ANSWER, a.answer(), dnssecOk);
        add(reply, Section.AUTHORITY, a.authority(), dnssecOk);
        add(reply, Section.ADDITIONAL, a.additional(), dnssecOk);
        return reply;
    }

    private ServedZone zoneFor(org.xbill.DNS.Name qname, int qtype) {
        ServedZone best = null;
        ServedZone parent = null;
        for (Supplier<ServedZone> s : zones) {
            ServedZone z = s.get();
            if (!z.contains(qname)) continue;
            if (best == null || z.origin().labels() > best.origin().labels()) {
                if (best != null) parent = best;
                best = z;
            } else if (parent == null || z.origin().labels() > parent.origin().labels()) {
                parent = z;
            }
        }
        // RFC 4035 §3.1.4.1: the DS lives in the parent
        return qtype == Type.DS && best != null && parent != null && best.origin().equals(qname) ? parent : best;
    }

    private Message truncatedReply(Message query) {
        Message t = new Message(query.getHeader().getID());
        t.getHeader().setFlag(Flags.QR);
        t.getHeader().setFlag(Flags.TC);
        if (query.getHeader().getFlag(Flags.RD)) t.getHeader().setFlag(Flags.RD);
        if (query.getQuestion() != null) t.addRecord(query.getQuestion(), Section.QUESTION);
        OPTRecord opt = query.getOPT();
        if (opt != null) {
            t.addRecord(new OPTRecord(limits.maxUdpPayload(), 0, 0, opt.getFlags() & ExtendedFlags.DO), Section.ADDITIONAL);
        }
        return t;
    }

    private static void add(Message reply, int section, List<RRset> sets, boolean withSigs) {
        for (RRset set : sets) {
            for (Record r : set.rrs(false)) reply.addRecord(r, section);
            if (withSigs) {
                for (Record sig : set.sigs()) reply.addRecord(sig, section);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
