package dev.doublelock.dns;

import dev.doublelock.dns.server.ServedZone;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Zone;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small authoritative DNS server for tests: UDP and TCP on 127.0.0.1 (same random port), answering
 * from dnsjava {@link Zone}s. Signed zones get their RRSIGs and NSEC denial proofs when the query
 * has the DO bit. Misbehaviour is configured per name: SERVFAIL, silence (timeout), or truncation
 * over UDP (forcing the client to retry over TCP). {@link #stripDnssec()} makes the whole server behave like
 * a home router's forwarder that withholds DNSSEC: it ignores the DO bit, never sets AD, and drops RRSIG,
 * DNSKEY, DS, NSEC and NSEC3 records, even when they are asked for.
 */
public final class TestDnsServer implements AutoCloseable {
    private final Map<Name, ServedZone> zones = new ConcurrentHashMap<>();
    private final Set<Name> servFail = ConcurrentHashMap.newKeySet();
    private final Set<Name> silent = ConcurrentHashMap.newKeySet();
    private final Set<Name> truncateOverUdp = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tcpQueries = new AtomicInteger();
    private final AtomicInteger queries = new AtomicInteger();
    private volatile boolean stripDnssec;
    private final DatagramSocket udp;
    private final ServerSocket tcp;

    public TestDnsServer() throws IOException {
        DatagramSocket u = null;
        ServerSocket t = null;
        for (int attempt = 0; attempt < 20 && t == null; attempt++) {
            u = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                t = new ServerSocket(u.getLocalPort(), 50, InetAddress.getLoopbackAddress());
            } catch (IOException portTaken) {
                u.close();
            }
        }
        if (t == null) {
            throw new IOException("could not bind UDP and TCP on one loopback port");
        }
        udp = u;
        tcp = t;
        Thread.ofVirtual().name("test-dns-udp").start(this::serveUdp);
        Thread.ofVirtual().name("test-dns-tcp").start(this::serveTcp);
    }

    public TestDnsServer add(Zone zone) {
        List<RRset> sets = new ArrayList<>();
        zone.forEach(sets::add);
        zones.put(zone.getOrigin(), ServedZone.fromRRsets(zone.getOrigin(), sets));
        return this;
    }

    public TestDnsServer servFail(String name) {
        servFail.add(name(name));
        return this;
    }

    public TestDnsServer silent(String name) {
        silent.add(name(name));
        return this;
    }

    public TestDnsServer truncateOverUdp(String name) {
        truncateOverUdp.add(name(name));
        return this;
    }

    /** From now on, answer as a resolver that withholds DNSSEC data (see the class comment). */
    public TestDnsServer stripDnssec() {
        stripDnssec = true;
        return this;
    }

    /** Questions received so far, over UDP and TCP. */
    public int queries() {
        return queries.get();
    }

    /** "127.0.0.1:PORT", for {@link DnsjavaResolverBuilder#server(String)}. */
    public String address() {
        return "127.0.0.1:" + udp.getLocalPort();
    }

    public int tcpQueries() {
        return tcpQueries.get();
    }

    private void serveUdp() {
        byte[] buf = new byte[65535];
        while (!udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                byte[] query = java.util.Arrays.copyOf(p.getData(), p.getLength());
                byte[] reply = answer(query, true);
                if (reply != null) {
                    udp.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                }
            } catch (IOException e) {
                // closed, or a malformed query: keep serving until closed
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket s = tcp.accept();
                Thread.ofVirtual().start(() -> serveTcpConnection(s));
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void serveTcpConnection(Socket s) {
        try (s; DataInputStream in = new DataInputStream(s.getInputStream());
             DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            s.setSoTimeout(5000);
            while (true) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                tcpQueries.incrementAndGet();
                byte[] reply = answer(query, false);
                if (reply == null) {
                    return;
                }
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (IOException e) {
            // client closed the connection
        }
    }

    private byte[] answer(byte[] wire, boolean overUdp) throws IOException {
        Message query = new Message(wire);
        queries.incrementAndGet();
        Record question = query.getQuestion();
        Name qname = question.getName();
        if (silent.contains(qname)) {
            return null;
        }
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            reply.getHeader().setFlag(Flags.RD);
        }
        reply.addRecord(question, Section.QUESTION);
        OPTRecord opt = query.getOPT();
        boolean dnssecOk = !stripDnssec && opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
        if (opt != null) {
            reply.addRecord(new OPTRecord(4096, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
        }
        if (servFail.contains(qname)) {
            reply.getHeader().setRcode(Rcode.SERVFAIL);
        } else {
            fill(reply, qname, question.getType(), dnssecOk);
        }
        if (stripDnssec) {
            // a forwarder: recursion available, never authoritative, never "authenticated data"
            reply.getHeader().unsetFlag(Flags.AA);
            reply.getHeader().setFlag(Flags.RA);
            reply.getHeader().unsetFlag(Flags.AD);
        }
        byte[] out = reply.toWire();
        if (overUdp && (truncateOverUdp.contains(qname) || out.length > 1232)) {
            Message truncated = new Message(query.getHeader().getID());
            truncated.getHeader().setFlag(Flags.QR);
            truncated.getHeader().setFlag(Flags.TC);
            truncated.addRecord(question, Section.QUESTION);
            return truncated.toWire();
        }
        return out;
    }

    private void fill(Message reply, Name qname, int qtype, boolean dnssecOk) {
        fill(reply, qname, qtype, dnssecOk, 0);
    }

    /**
     * Answers like an authoritative server that also serves the targets of CNAMEs in its other zones; the lookup and
     * the NSEC denial proofs are the lab's own ({@link ServedZone#lookup}).
     */
    private void fill(Message reply, Name qname, int qtype, boolean dnssecOk, int aliases) {
        ServedZone zone = zoneFor(qname);
        if (zone == null) {
            if (aliases == 0) {
                reply.getHeader().setRcode(Rcode.REFUSED);
            }
            return;
        }
        reply.getHeader().setFlag(Flags.AA);
        ServedZone.Answer found = zone.lookup(qname, qtype);
        if (stripDnssec && DNSSEC_TYPES.contains(qtype) && found.rcode() != Rcode.NXDOMAIN) {
            // the forwarder drops what it was asked for: NODATA
            add(reply, Section.AUTHORITY, zone.rrset(zone.origin(), Type.SOA).orElse(null), false);
            return;
        }
        if (found.rcode() != Rcode.NOERROR) {
            reply.getHeader().setRcode(found.rcode());
        }
        for (RRset set : found.answer()) {
            add(reply, Section.ANSWER, set, dnssecOk);
        }
        for (RRset set : found.authority()) {
            if (set.getType() != Type.NSEC || dnssecOk) add(reply, Section.AUTHORITY, set, dnssecOk);
        }
        List<RRset> answer = found.answer();
        if (!answer.isEmpty() && answer.get(answer.size() - 1).getType() == Type.CNAME && qtype != Type.CNAME) {
            Name target = ((CNAMERecord) answer.get(answer.size() - 1).first()).getTarget();
            if (!zone.contains(target) && aliases < 8) {
                fill(reply, target, qtype, dnssecOk, aliases + 1); // the alias leads into another zone
            }
        }
    }

    private static final Set<Integer> DNSSEC_TYPES = Set.of(Type.RRSIG, Type.DNSKEY, Type.DS, Type.NSEC, Type.NSEC3);

    private void add(Message reply, int section, RRset set, boolean withSigs) {
        if (set == null || (stripDnssec && DNSSEC_TYPES.contains(set.getType()))) {
            return;
        }
        for (Record r : set.rrs(false)) {
            reply.addRecord(r, section);
        }
        if (withSigs) {
            for (Record sig : set.sigs()) {
                reply.addRecord(sig, section);
            }
        }
    }

    private ServedZone zoneFor(Name qname) {
        ServedZone best = null;
        for (ServedZone z : zones.values()) {
            if (z.contains(qname) && (best == null || z.origin().labels() > best.origin().labels())) {
                best = z;
            }
        }
        return best;
    }

    static Name name(String text) {
        return Name.fromConstantString(text.endsWith(".") ? text : text + ".");
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
