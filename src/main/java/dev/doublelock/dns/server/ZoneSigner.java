package dev.doublelock.dns.server;

import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Signs a zone (RFC 4033–4035): adds the DNSKEY RRset (KSK and ZSK), an NSEC chain over every owner name in
 * canonical order for authenticated denial, and one RRSIG per authoritative RRset — the DNSKEY RRset by the KSK, all
 * others by the ZSK. At a delegation only the DS and NSEC are signed, and glue below it is neither signed nor in
 * the NSEC chain (RFC 4035 §2.2, §2.3). The SOA serial becomes the signing time in seconds, so every re-signing is a new serial.
 * Signatures are valid from an hour before {@code now} (clock skew) to {@code now + validity}.
 */
public final class ZoneSigner {
    /** Signature lifetime the lab uses: re-signed by {@link LiveZone} well before the end. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(14);
    static final Duration INCEPTION_SLACK = Duration.ofHours(1);
    /**
     * An {@link ZoneFaults.SignatureDefect#EXPIRED} signature ended this long ago: beyond any resolver's clock-skew
     * allowance (unbound allows at most a day).
     */
    static final Duration EXPIRED_AGO = Duration.ofDays(7);
    static final Duration EXPIRED_INCEPTION = Duration.ofDays(21);

    private ZoneSigner() {
    }

    public static ServedZone sign(ZoneContent content, ZoneKeys keys, Instant now, Duration validity) {
        Name origin = content.origin();
        SOARecord soa = content.soa();
        long ttl = soa.getTTL();
        List<Record> all = new ArrayList<>();
        all.add(new SOARecord(origin, DClass.IN, ttl, soa.getHost(), soa.getAdmin(), now.getEpochSecond() & 0xffffffffL,
                soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum()));
        all.addAll(content.records().subList(1, content.records().size()));
        DNSKEYRecord ksk = keys.kskRecord(origin, ttl);
        DNSKEYRecord zsk = keys.zskRecord(origin, ttl);
        all.add(ksk);
        if (!keys.isCombined()) all.add(zsk);
        // RFC 9077: the NSEC TTL is the lesser of the SOA's TTL and its minimum field
        java.util.Set<Name> cuts = cuts(origin, all);
        all.addAll(nsecChain(origin, all, cuts, Math.min(ttl, soa.getMinimum())));
        Instant inception = now.minus(INCEPTION_SLACK);
        Instant expiration = now.plus(validity);
        Map<String, RRset> sets = rrsets(all);
        try {
            for (RRset set : sets.values()) {
                if (!isAuthoritative(set.getName(), set.getType(), cuts)) continue; // NS at a cut and glue: unsigned
                boolean keySet = set.getType() == Type.DNSKEY;
                java.util.Optional<ZoneFaults.SignatureDefect> defect =
                        content.faults().signatureDefect(set.getName(), set.getType());
                boolean expired = defect.equals(java.util.Optional.of(ZoneFaults.SignatureDefect.EXPIRED));
                RRSIGRecord sig = DNSSEC.sign(set, keySet ? ksk : zsk, keySet ? keys.kskPrivate() : keys.zskPrivate(),
                        expired ? now.minus(EXPIRED_INCEPTION) : inception, expired ? now.minus(EXPIRED_AGO) : expiration);
                if (defect.equals(java.util.Optional.of(ZoneFaults.SignatureDefect.CORRUPTED))) sig = corrupted(sig);
                set.addRR(sig);
            }
        } catch (DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot sign the zone " + origin + ": " + e.getMessage(), e);
        }
        return new ServedZone(origin, List.copyOf(sets.values()), keys.ds(origin, ttl), now, expiration,
                content.faults());
    }

    /** The same signature with one bit flipped in its middle: well formed, but it cannot verify. */
    static RRSIGRecord corrupted(RRSIGRecord sig) {
        byte[] bytes = sig.getSignature().clone();
        bytes[bytes.length / 2] ^= 0x01;
        return new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(), sig.getAlgorithm(),
                sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), sig.getFootprint(), sig.getSigner(), bytes);
    }

    /** The zone cuts: names below the apex with NS records (delegations to child zones). */
    static java.util.Set<Name> cuts(Name origin, List<Record> records) {
        java.util.Set<Name> cuts = new java.util.TreeSet<>();
        for (Record r : records) {
            if (r.getType() == Type.NS && !r.getName().equals(origin)) cuts.add(r.getName());
        }
        return cuts;
    }

    /** The cut a name is at or below, if any. */
    static java.util.Optional<Name> cutAbove(Name name, java.util.Set<Name> cuts) {
        for (Name cut : cuts) {
            if (name.subdomain(cut)) return java.util.Optional.of(cut);
        }
        return java.util.Optional.empty();
    }

    /** RFC 4035 §2.2: at a cut only DS (and NSEC) belong to the parent; below a cut nothing does (glue). */
    static boolean isAuthoritative(Name owner, int type, java.util.Set<Name> cuts) {
        java.util.Optional<Name> cut = cutAbove(owner, cuts);
        if (cut.isEmpty()) return true;
        return owner.equals(cut.get()) && (type == Type.DS || type == Type.NSEC);
    }

    static List<Record> nsecChain(Name origin, List<Record> records, java.util.Set<Name> cuts, long ttl) {
        TreeMap<Name, TreeSet<Integer>> types = new TreeMap<>(); // Name's order is DNSSEC's canonical order
        for (Record r : records) {
            java.util.Optional<Name> cut = cutAbove(r.getName(), cuts);
            if (cut.isPresent() && !cut.get().equals(r.getName())) continue; // glue is not in the chain
            types.computeIfAbsent(r.getName(), n -> new TreeSet<>()).add(r.getType());
        }
        if (!types.firstKey().equals(origin)) {
            throw new IllegalArgumentException("zone records must include the apex " + origin);
        }
        List<Name> names = new ArrayList<>(types.keySet());
        List<Record> chain = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Name owner = names.get(i);
            TreeSet<Integer> present = types.get(owner);
            present.add(Type.NSEC);
            present.add(Type.RRSIG); // at a cut too: its NSEC (and DS) are signed
            chain.add(new NSECRecord(owner, DClass.IN, ttl, names.get((i + 1) % names.size()),
                    present.stream().mapToInt(Integer::intValue).toArray()));
        }
        return chain;
    }

    static Map<String, RRset> rrsets(List<Record> records) {
        Map<String, RRset> sets = new LinkedHashMap<>();
        for (Record r : records) {
            sets.computeIfAbsent(r.getName() + "/" + r.getType(), k -> new RRset()).addRR(r);
        }
        return sets;
    }
}
