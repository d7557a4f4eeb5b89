package dev.doublelock.dns.server;

import dev.doublelock.dns.TlsaRecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a zone from typed records: the SOA and the apex NS come first, then MX, A/AAAA, TXT, TLSA and CNAME
 * records at names inside the zone, and delegations to child zones ({@link #delegation}). Names are {@link #name(String) relative to the origin} ("@" is the apex) or
 * absolute with a trailing dot. Records outside the zone, a CNAME beside other data, or a record type the lab
 * has no business publishing are refused with {@link IllegalArgumentException}.
 */
public final class ZoneBuilder {
    /** TTL of every record unless given; short, so a lab's changes show quickly. */
    public static final long DEFAULT_TTL = 300;

    private final Name origin;
    private final long ttl;
    private final List<Record> records = new ArrayList<>();
    private final Set<Name> aliases = new HashSet<>();
    private ZoneFaults faults = ZoneFaults.NONE;

    private ZoneBuilder(Name origin, long ttl, Name primary, Name hostmaster) {
        this.origin = origin;
        this.ttl = ttl;
        // serial 1: the signer replaces it by the signing time
        records.add(new SOARecord(origin, DClass.IN, ttl, primary, hostmaster, 1, 3600, 600, 1209600, ttl));
    }

    /** A zone {@code origin} whose primary name server is {@code ns.<origin>}, with the default TTL. */
    public static ZoneBuilder forZone(Name origin) {
        return forZone(origin, DEFAULT_TTL);
    }

    public static ZoneBuilder forZone(Name origin, long ttl) {
        if (!origin.isAbsolute()) throw new IllegalArgumentException("zone name must be absolute: " + origin);
        return new ZoneBuilder(origin, ttl, child("ns", origin), child("hostmaster", origin));
    }

    /** Parses a zone name; a missing trailing dot is added. */
    public static Name zoneName(String text) {
        try {
            Name n = Name.fromString(text.endsWith(".") ? text : text + ".");
            if (n.equals(Name.root)) throw new IllegalArgumentException("the lab cannot serve the root zone");
            return n;
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + text + " (" + e.getMessage() + ")", e);
        }
    }

    public Name origin() {
        return origin;
    }

    /** A name relative to the origin ({@code "mx"}, {@code "a.b"}); {@code "@"} is the origin; a trailing dot makes it absolute. */
    public Name name(String relative) {
        if (relative.equals("@")) return origin;
        try {
            return relative.endsWith(".") ? Name.fromString(relative) : Name.fromString(relative, origin);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + relative + " (" + e.getMessage() + ")", e);
        }
    }

    /** An NS record at the apex, and the server's addresses when it is inside the zone (glue). */
    public ZoneBuilder nameServer(Name server, List<InetAddress> addresses) {
        add(new NSRecord(origin, DClass.IN, ttl, server));
        if (server.subdomain(origin)) {
            for (InetAddress a : addresses) address(server, a);
        }
        return this;
    }

    /**
     * A delegation of {@code child} to {@code server} (a zone cut): the NS record, the server's addresses as glue when
     * they are at or below the cut, and the child's DS when it is signed. Without a DS the child is insecure (RFC
     * 4035 §5.2): the signed parent proves with the cut's NSEC that there is none.
     */
    public ZoneBuilder delegation(Name child, Name server, List<InetAddress> glue, java.util.Optional<DSRecord> ds) {
        if (child.equals(origin) || !child.subdomain(origin)) {
            throw new IllegalArgumentException(child + " is not below the zone " + origin);
        }
        add(new NSRecord(child, DClass.IN, ttl, server));
        if (server.subdomain(child) || server.subdomain(origin)) {
            for (InetAddress a : glue) address(server, a);
        }
        ds.ifPresent(d -> add(new DSRecord(child, DClass.IN, ttl, d.getFootprint(), d.getAlgorithm(), d.getDigestID(), d.getDigest())));
        return this;
    }

    public ZoneBuilder mx(Name owner, int preference, Name exchange) {
        return add(new MXRecord(owner, DClass.IN, ttl, preference, exchange));
    }

    /** An A or AAAA record, by the address's family. */
    public ZoneBuilder address(Name owner, InetAddress address) {
        if (address.isAnyLocalAddress()) {
            throw new IllegalArgumentException(owner + ": the wildcard address " + address.getHostAddress()
                    + " is not an address anyone can reach");
        }
        return add(address instanceof Inet6Address
                ? new AAAARecord(owner, DClass.IN, ttl, address)
                : new ARecord(owner, DClass.IN, ttl, (Inet4Address) address));
    }

    public ZoneBuilder txt(Name owner, List<String> strings) {
        return add(new TXTRecord(owner, DClass.IN, ttl, strings));
    }

    public ZoneBuilder tlsa(Name owner, TlsaRecord tlsa) {
        return add(new TLSARecord(owner, DClass.IN, ttl, tlsa.usage(), tlsa.selector(), tlsa.matchingType(), tlsa.data()));
    }

    public ZoneBuilder cname(Name owner, Name target) {
        if (owner.equals(origin)) throw new IllegalArgumentException("no CNAME at the zone apex " + origin);
        return add(new CNAMERecord(owner, DClass.IN, ttl, target));
    }

    /** Questions for {@code owner} and {@code type} are answered SERVFAIL (a broken server, on purpose). */
    public ZoneBuilder servFail(Name owner, int type) {
        inZone(owner);
        faults = faults.withServFail(new ZoneFaults.Question(owner, type));
        return this;
    }

    /** The RRset at {@code owner} and {@code type} is served with a signature that does not verify (bogus). */
    public ZoneBuilder corruptSignature(Name owner, int type) {
        inZone(owner);
        faults = faults.withSignatureFault(new ZoneFaults.SignatureFault(owner, type, ZoneFaults.SignatureDefect.CORRUPTED));
        return this;
    }

    /** The RRset at {@code owner} and {@code type} is served with a signature that expired a week ago (bogus). */
    public ZoneBuilder expiredSignature(Name owner, int type) {
        inZone(owner);
        faults = faults.withSignatureFault(new ZoneFaults.SignatureFault(owner, type, ZoneFaults.SignatureDefect.EXPIRED));
        return this;
    }

    /** The zone so far. */
    public ZoneContent build() {
        return new ZoneContent(origin, records, faults);
    }

    private void inZone(Name owner) {
        if (!owner.subdomain(origin)) throw new IllegalArgumentException(owner + " is outside the zone " + origin);
    }

    private ZoneBuilder add(Record r) {
        if (!r.getName().subdomain(origin)) {
            throw new IllegalArgumentException(r.getName() + " is outside the zone " + origin);
        }
        Set<Name> owners = new HashSet<>();
        for (Record existing : records) {
            if (existing.equals(r)) return this; // an RRset holds a record once
            owners.add(existing.getName());
        }
        boolean isAlias = r.getType() == Type.CNAME;
        if (isAlias ? owners.contains(r.getName()) : aliases.contains(r.getName())) {
            throw new IllegalArgumentException(r.getName() + ": a CNAME cannot share its name with other records");
        }
        if (isAlias) aliases.add(r.getName());
        records.add(r);
        return this;
    }

    private static Name child(String label, Name origin) {
        try {
            return Name.concatenate(Name.fromConstantString(label), origin);
        } catch (NameTooLongException e) {
            throw new IllegalArgumentException("zone name too long: " + origin, e);
        }
    }
}
