package dev.doublelock.dns;

import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Signs a test zone at test time: one ECDSA P-256 key (algorithm 13) used as KSK and ZSK, an NSEC
 * chain for authenticated denial, and an RRSIG over every RRset. The DS of the key is the trust
 * anchor a test hands to the resolver.
 */
public final class TestZoneSigner {
    private TestZoneSigner() {
    }

    /** A signed zone's records plus the DS record to use as its trust anchor. */
    public record SignedZone(Name origin, List<Record> records, DSRecord ds) {
        public TrustAnchors anchor() {
            return new TrustAnchors(ds.toString());
        }
    }

    public static SignedZone sign(Name origin, List<Record> records) {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair key = kpg.generateKeyPair();
            DNSKEYRecord dnskey = new DNSKEYRecord(origin, DClass.IN, 3600, 257, 3, 13, key.getPublic());
            List<Record> all = new ArrayList<>(records);
            all.add(dnskey);
            all.addAll(nsecChain(origin, all));
            Instant now = Instant.now();
            List<Record> signed = new ArrayList<>(all);
            for (RRset set : rrsets(all).values()) {
                RRSIGRecord sig = DNSSEC.sign(set, dnskey, key.getPrivate(), now.minus(Duration.ofHours(1)),
                        now.plus(Duration.ofDays(1)));
                signed.add(sig);
            }
            return new SignedZone(origin, signed, new DSRecord(origin, DClass.IN, 3600, DSRecord.SHA256_DIGEST_ID, dnskey));
        } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot sign test zone " + origin, e);
        }
    }

    private static List<Record> nsecChain(Name origin, List<Record> records) {
        Map<Name, TreeSet<Integer>> types = new TreeMap<>();
        for (Record r : records) {
            types.computeIfAbsent(r.getName(), n -> new TreeSet<>()).add(r.getType());
        }
        List<Name> names = new ArrayList<>(types.keySet());
        List<Record> chain = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Name owner = names.get(i);
            Name next = names.get((i + 1) % names.size());
            TreeSet<Integer> present = types.get(owner);
            present.add(Type.NSEC);
            present.add(Type.RRSIG);
            chain.add(new NSECRecord(owner, DClass.IN, 3600, next,
                    present.stream().mapToInt(Integer::intValue).toArray()));
        }
        if (!names.get(0).equals(origin)) {
            throw new IllegalArgumentException("zone records must include the apex " + origin);
        }
        return chain;
    }

    private static Map<String, RRset> rrsets(List<Record> records) {
        Map<String, RRset> sets = new LinkedHashMap<>();
        for (Record r : records) {
            sets.computeIfAbsent(r.getName() + "/" + r.getType(), k -> new RRset()).addRR(r);
        }
        return sets;
    }
}
