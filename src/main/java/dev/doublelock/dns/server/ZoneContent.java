package dev.doublelock.dns.server;

import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

import java.util.List;

/**
 * The unsigned records of one zone, apex SOA first, as {@link ZoneBuilder} made them; {@link ZoneSigner} signs
 * them, {@link ServedZone#unsigned(ZoneContent)} serves them as they are. {@code faults} are the defects the zone
 * is served with on purpose ({@link ZoneFaults#NONE} normally).
 */
public record ZoneContent(Name origin, List<Record> records, ZoneFaults faults) {
    public ZoneContent(Name origin, List<Record> records) {
        this(origin, records, ZoneFaults.NONE);
    }

    public ZoneContent {
        records = List.copyOf(records);
        java.util.Objects.requireNonNull(faults, "faults");
        if (records.isEmpty() || records.get(0).getType() != Type.SOA || !records.get(0).getName().equals(origin)) {
            throw new IllegalArgumentException("a zone starts with its SOA at " + origin);
        }
    }

    public SOARecord soa() {
        return (SOARecord) records.get(0);
    }
}
