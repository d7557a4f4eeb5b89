package dev.doublelock.dns;

import dev.doublelock.dns.server.ServedZone;
import dev.doublelock.dns.server.ZoneContent;
import dev.doublelock.dns.server.ZoneKeys;
import dev.doublelock.dns.server.ZoneSigner;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Signs a test zone at test time with the lab's own signer ({@link ZoneSigner}): one fresh ECDSA P-256 key
 * (algorithm 13) used as KSK and ZSK, an NSEC chain for authenticated denial, and an RRSIG over every RRset,
 * valid for a day. The DS of the key is the trust anchor a test hands to the resolver.
 */
public final class TestZoneSigner {
    private TestZoneSigner() {
    }

    /** A signed zone's records (signatures included, as a flat list a test may edit) plus its DS record. */
    public record SignedZone(Name origin, List<Record> records, DSRecord ds) {
        public TrustAnchors anchor() {
            return new TrustAnchors(ds.toString());
        }
    }

    /** Signs the records; the first must be the apex SOA. */
    public static SignedZone sign(Name origin, List<Record> records) {
        ServedZone served = ZoneSigner.sign(new ZoneContent(origin, records), ZoneKeys.combined(ZoneKeys.newKey()),
                Instant.now(), Duration.ofDays(1));
        List<Record> flat = new ArrayList<>();
        for (RRset set : served.rrsets()) {
            flat.addAll(set.rrs(false));
            flat.addAll(set.sigs());
        }
        return new SignedZone(origin, flat, served.ds().orElseThrow());
    }
}
