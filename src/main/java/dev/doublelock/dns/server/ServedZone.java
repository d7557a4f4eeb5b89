package dev.doublelock.dns.server;

import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One zone as a server answers from it: its RRsets by owner name (each with its RRSIGs when signed) and the
 * authoritative lookup of RFC 1034 §4.3.2 and RFC 4035 §3.1 — answers, CNAMEs followed inside the zone,
 * NODATA with the name's NSEC, NODATA at an empty non-terminal and NXDOMAIN with the NSEC records that cover the
 * name and the wildcard at its closest encloser, and referrals at delegations to child zones (with the child's DS,
 * or the NSEC that proves it has none: an insecure child). The zone has no wildcards. Questions its
 * {@link ZoneFaults} name are answered SERVFAIL. Immutable.
 */
public final class ServedZone {
    /** What a lookup found. Sections hold RRsets with their signatures; the server leaves them out without DO. */
    public record Answer(int rcode, List<RRset> answer, List<RRset> authority, List<RRset> additional,
                         boolean authoritative) {
        Answer(int rcode, List<RRset> answer, List<RRset> authority, List<RRset> additional) {
            this(rcode, answer, authority, additional, true);
        }

        public boolean isNoData() {
            return authoritative && rcode == Rcode.NOERROR && answer.isEmpty();
        }

        /** A referral to a child zone (not authoritative): its NS in the authority section, and its DS or NSEC. */
        public boolean isReferral() {
            return !authoritative && rcode == Rcode.NOERROR;
        }
    }

    private static final int MAX_ALIASES = 8;

    private final Name origin;
    private final TreeMap<Name, Map<Integer, RRset>> names = new TreeMap<>(); // canonical DNSSEC order
    private final TreeMap<Name, RRset> nsecs = new TreeMap<>();
    private final java.util.Set<Name> cuts;
    private final Optional<DSRecord> ds;
    private final Instant signedAt;
    private final Instant expiresAt;
    private final ZoneFaults faults;

    ServedZone(Name origin, Collection<RRset> sets, DSRecord ds, Instant signedAt, Instant expiresAt) {
        this(origin, sets, ds, signedAt, expiresAt, ZoneFaults.NONE);
    }

    ServedZone(Name origin, Collection<RRset> sets, DSRecord ds, Instant signedAt, Instant expiresAt, ZoneFaults faults) {
        this.origin = origin;
        this.faults = faults;
        for (RRset set : sets) {
            if (!set.getName().subdomain(origin)) throw new IllegalArgumentException(set.getName() + " is outside " + origin);
            names.computeIfAbsent(set.getName(), n -> new LinkedHashMap<>()).put(set.getType(), set);
        }
        if (!names.containsKey(origin) || !names.get(origin).containsKey(Type.SOA)) {
            throw new IllegalArgumentException("zone " + origin + " has no SOA at its apex");
        }
        names.forEach((n, m) -> {
            if (m.containsKey(Type.NSEC)) nsecs.put(n, m.get(Type.NSEC));
        });
        java.util.Set<Name> found = new java.util.TreeSet<>();
        names.forEach((n, m) -> {
            if (!n.equals(origin) && m.containsKey(Type.NS)) found.add(n);
        });
        this.cuts = java.util.Collections.unmodifiableSet(found);
        this.ds = Optional.ofNullable(ds);
        this.signedAt = signedAt;
        this.expiresAt = expiresAt;
    }

    /** The records as they are, without DNSSEC. */
    public static ServedZone unsigned(ZoneContent content) {
        return new ServedZone(content.origin(), ZoneSigner.rrsets(content.records()).values(), null, Instant.MIN, Instant.MAX,
                content.faults());
    }

    /**
     * A zone from RRsets as they are, signatures included (e.g. dnsjava's {@code Zone}, or records a test broke on
     * purpose): served signed when it has an NSEC chain. No DS is known.
     */
    public static ServedZone fromRRsets(Name origin, Iterable<RRset> sets) {
        List<RRset> copy = new ArrayList<>();
        sets.forEach(copy::add);
        return new ServedZone(origin, copy, null, Instant.MIN, Instant.MAX);
    }

    public Name origin() {
        return origin;
    }

    /** The KSK's DS record (SHA-256) for the parent zone; empty when unsigned. */
    public Optional<DSRecord> ds() {
        return ds;
    }

    /** True when the zone has an NSEC chain (and so signatures to send with its answers). */
    public boolean isSigned() {
        return !nsecs.isEmpty();
    }

    /** When the signatures were made (the SOA serial); {@link Instant#MIN} when unsigned. */
    public Instant signedAt() {
        return signedAt;
    }

    /** When the signatures expire; {@link Instant#MAX} when unsigned. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** Every RRset in canonical order. */
    public List<RRset> rrsets() {
        List<RRset> out = new ArrayList<>();
        names.values().forEach(m -> out.addAll(m.values()));
        return out;
    }

    /** The RRset at a name, if any. */
    public Optional<RRset> rrset(Name owner, int type) {
        return Optional.ofNullable(names.getOrDefault(owner, Map.of()).get(type));
    }

    /**
     * This zone with one RRset replaced (or added): how a scenario breaks a signature on purpose. The NSEC chain
     * is not rebuilt; replace existing RRsets only.
     */
    public ServedZone with(RRset replacement) {
        Map<String, RRset> sets = new LinkedHashMap<>();
        for (RRset s : rrsets()) sets.put(s.getName() + "/" + s.getType(), s);
        sets.put(replacement.getName() + "/" + replacement.getType(), replacement);
        return new ServedZone(origin, sets.values(), ds.orElse(null), signedAt, expiresAt, faults);
    }

    /** The defects this zone is served with on purpose. */
    public ZoneFaults faults() {
        return faults;
    }

    /** True when the name is the apex or below it. */
    public boolean contains(Name name) {
        return name.subdomain(origin);
    }

    /**
     * The authoritative answer for a name in this zone. {@link Type#ANY} returns every RRset at the name (the server
     * decides whether to give it over UDP).
     */
    public Answer lookup(Name qname, int qtype) {
        if (!contains(qname)) throw new IllegalArgumentException(qname + " is outside " + origin);
        if (faults.servFails(qname, qtype)) {
            return new Answer(Rcode.SERVFAIL, List.of(), List.of(), List.of(), false);
        }
        Optional<Name> cut = ZoneSigner.cutAbove(qname, cuts);
        if (cut.isPresent() && !(qname.equals(cut.get()) && qtype == Type.DS)) {
            return referral(cut.get());
        }
        List<RRset> answer = new ArrayList<>();
        Name current = qname;
        for (int aliases = 0; ; aliases++) {
            Map<Integer, RRset> node = names.get(current);
            if (node == null) {
                return withAliases(answer, denial(current)); // RFC 6604: the rcode is the last name's
            }
            RRset alias = node.get(Type.CNAME);
            if (alias != null && qtype != Type.CNAME && qtype != Type.ANY) {
                answer.add(alias);
                Name target = ((CNAMERecord) alias.first()).getTarget();
                if (aliases >= MAX_ALIASES || !contains(target)) {
                    return new Answer(Rcode.NOERROR, answer, List.of(), List.of());
                }
                current = target;
                continue;
            }
            if (qtype == Type.ANY) {
                answer.addAll(node.values());
                return new Answer(Rcode.NOERROR, answer, List.of(), List.of());
            }
            RRset set = node.get(qtype);
            if (set == null) {
                return withAliases(answer, noData(current, true));
            }
            answer.add(set);
            return new Answer(Rcode.NOERROR, answer, List.of(), additional(set));
        }
    }

    private static Answer withAliases(List<RRset> aliases, Answer denial) {
        if (aliases.isEmpty()) return denial;
        return new Answer(denial.rcode(), aliases, denial.authority(), List.of());
    }

    /** RFC 1034 §4.3.2 step 3b, RFC 4035 §3.1.4: the child's NS, its signed DS or the NSEC proving there is none, glue. */
    private Answer referral(Name cut) {
        Map<Integer, RRset> node = names.get(cut);
        List<RRset> authority = new ArrayList<>();
        authority.add(node.get(Type.NS));
        if (node.containsKey(Type.DS)) authority.add(node.get(Type.DS));
        else if (nsecs.containsKey(cut)) authority.add(nsecs.get(cut));
        return new Answer(Rcode.NOERROR, List.of(), authority, additional(node.get(Type.NS)), false);
    }

    /** The zone cuts: names below the apex delegated to child zones. */
    public java.util.Set<Name> delegations() {
        return cuts;
    }

    private Answer denial(Name qname) {
        Name next = names.ceilingKey(qname);
        if (next != null && next.subdomain(qname)) {
            return noData(qname, false); // an empty non-terminal: it exists, with no data
        }
        List<RRset> authority = new ArrayList<>(soa());
        if (isSigned()) {
            Set<Name> owners = new LinkedHashSet<>();
            owners.add(nsecs.floorKey(qname));
            owners.add(nsecs.floorKey(wildcard(closestEncloser(qname))));
            for (Name o : owners) authority.add(nsecs.get(o));
        }
        return new Answer(Rcode.NXDOMAIN, List.of(), authority, List.of());
    }

    /** NODATA: the SOA and, signed, the NSEC at the name (or the one covering an empty non-terminal). */
    private Answer noData(Name qname, boolean exists) {
        List<RRset> authority = new ArrayList<>(soa());
        if (isSigned()) {
            Name owner = exists ? qname : nsecs.floorKey(qname);
            authority.add(nsecs.get(owner));
        }
        return new Answer(Rcode.NOERROR, List.of(), authority, List.of());
    }

    private List<RRset> soa() {
        return List.of(names.get(origin).get(Type.SOA));
    }

    /** The closest existing ancestor (RFC 4592 closest encloser): a name with data or with names below it. */
    private Name closestEncloser(Name qname) {
        for (int strip = 1; strip < qname.labels(); strip++) {
            Name candidate = new Name(qname, strip);
            Name next = names.ceilingKey(candidate);
            if (names.containsKey(candidate) || (next != null && next.subdomain(candidate))) return candidate;
        }
        return origin;
    }

    /** Addresses of in-zone MX and NS targets (RFC 1035 §3.3.9 additional section processing). */
    private List<RRset> additional(RRset set) {
        List<RRset> out = new ArrayList<>();
        for (Record r : set.rrs(false)) {
            Name target = r instanceof MXRecord mx ? mx.getTarget() : r instanceof NSRecord ns ? ns.getTarget() : null;
            if (target == null || !contains(target)) continue;
            for (int type : new int[] {Type.A, Type.AAAA}) rrset(target, type).ifPresent(out::add);
        }
        return out;
    }

    private static Name wildcard(Name encloser) {
        try {
            return Name.concatenate(Name.fromConstantString("*"), encloser);
        } catch (NameTooLongException e) {
            return encloser; // no wildcard fits below it; the covering NSEC of the name is proof enough
        }
    }
}
