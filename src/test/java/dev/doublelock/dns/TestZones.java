package dev.doublelock.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Zone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Builds test zones record by record, then either leaves them unsigned or signs them. */
public final class TestZones {
    private final Name origin;
    private final List<Record> records = new ArrayList<>();

    public TestZones(String origin) {
        this.origin = TestDnsServer.name(origin);
        records.add(new SOARecord(this.origin, DClass.IN, 3600, n("ns"), n("hostmaster"), 1, 3600, 600, 86400, 300));
        records.add(new NSRecord(this.origin, DClass.IN, 3600, n("ns")));
        a("ns", "127.0.0.1");
    }

    /** A name relative to the origin; "@" is the origin itself. */
    public Name n(String relative) {
        if (relative.equals("@")) {
            return origin;
        }
        return Name.fromConstantString(origin.equals(Name.root) ? relative + "." : relative + "." + origin);
    }

    public TestZones mx(String owner, int pref, String target) {
        Name t = target.equals(".") ? Name.root : TestDnsServer.name(target);
        records.add(new MXRecord(n(owner), DClass.IN, 3600, pref, t));
        return this;
    }

    public TestZones a(String owner, String ip) {
        records.add(new ARecord(n(owner), DClass.IN, 3600, addr(ip)));
        return this;
    }

    public TestZones aaaa(String owner, String ip) {
        records.add(new AAAARecord(n(owner), DClass.IN, 3600, addr(ip)));
        return this;
    }

    /** An alias: {@code owner} CNAME {@code target} (a relative name, or absolute with a trailing dot). */
    public TestZones cname(String owner, String target) {
        Name t = target.endsWith(".") ? Name.fromConstantString(target) : n(target);
        records.add(new org.xbill.DNS.CNAMERecord(n(owner), DClass.IN, 3600, t));
        return this;
    }

    public TestZones txt(String owner, String... strings) {
        records.add(new TXTRecord(n(owner), DClass.IN, 3600, List.of(strings)));
        return this;
    }

    public TestZones tlsa(String owner, TlsaRecord t) {
        records.add(new TLSARecord(n(owner), DClass.IN, 3600, t.usage(), t.selector(), t.matchingType(), t.data()));
        return this;
    }

    public Zone unsigned() {
        return zone(records);
    }

    public TestZoneSigner.SignedZone sign() {
        return TestZoneSigner.sign(origin, records);
    }

    public static Zone zone(TestZoneSigner.SignedZone signed) {
        return zone(signed.records());
    }

    private static Zone zone(List<Record> records) {
        try {
            Name origin = records.get(0).getName();
            return new Zone(origin, records.toArray(Record[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InetAddress addr(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
