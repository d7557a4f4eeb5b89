package dev.doublelock.lab;

import dev.doublelock.dns.server.ZoneBuilder;
import dev.doublelock.dns.server.ZoneContent;
import org.xbill.DNS.Name;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The lab's DNS zone: the name server {@code ns.<zone>}, and for every profile the name
 * {@code <profile>.<zone>} (dots in profile names become dashes) with an MX record to its reference name
 * (the name itself; {@code a.b.deep.<name>} for wildcard-too-deep) and A/AAAA records with the address the
 * profile's endpoint is bound to. Mail to {@code anyone@<profile>.<zone>} thus reaches that profile, on
 * port 25 when published; on loopback the names resolve to 127.0.0.1 and a test sender adds the port.
 * DANE, MTA-STS and TLS-RPT names go in here as they are added.
 */
public final class LabZone {
    /** The zone of a loopback lab: {@code .test} is reserved (RFC 6761), no one else can serve it. */
    public static final String DEFAULT_ZONE = "lab.test.";
    /** The one name server's label. */
    public static final String NAME_SERVER = "ns";

    private LabZone() {
    }

    /** {@code <profile>.<zone>}, the profile's mail domain. */
    public static Name domain(LabProfile profile, Name zone) {
        return relative(profile.profileName().replace('.', '-'), zone);
    }

    /** The profile's MX host: the name a sender checks the certificate against. */
    public static Name mxHost(LabProfile profile, Name zone) {
        String domain = domain(profile, zone).toString(true);
        return Name.fromConstantString(profile.referenceName(domain) + ".");
    }

    public static Name nameServer(Name zone) {
        return relative(NAME_SERVER, zone);
    }

    /** Where the zone's DNSSEC keys are kept: {@code DATA/dns/<zone>/}. */
    public static Path keyDirectory(Path dataDir, Name zone) {
        return dataDir.resolve("dns").resolve(zone.toString(true).toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The zone's records.
     *
     * @param nameServerAddresses the addresses of {@code ns.<zone>} (the DNS endpoint's public address)
     * @param addresses           each profile's endpoint address; a profile without one (bound to the wildcard
     *                            address) gets its MX but no address record
     */
    public static ZoneContent build(Name zone, List<InetAddress> nameServerAddresses, Map<LabProfile, InetAddress> addresses) {
        return builder(zone, nameServerAddresses, addresses).build();
    }

    /** As {@link #build}, but open for more records (a scenario's TLSA, TXT or address records). */
    public static ZoneBuilder builder(Name zone, List<InetAddress> nameServerAddresses, Map<LabProfile, InetAddress> addresses) {
        ZoneBuilder b = ZoneBuilder.forZone(zone).nameServer(nameServer(zone), nameServerAddresses);
        for (LabProfile p : LabProfile.values()) {
            Name domain = domain(p, zone);
            Name mx = mxHost(p, zone);
            b.mx(domain, 10, mx);
            b.txt(tlsRptName(domain), List.of(tlsRptRecord(zone)));
            InetAddress address = addresses.get(p);
            if (address == null || address.isAnyLocalAddress()) continue;
            b.address(domain, address);
            if (!mx.equals(domain)) b.address(mx, address);
        }
        return b;
    }

    /** {@code _smtp._tls.<domain>}: where senders look for the domain's TLS report address (RFC 8460 §3). */
    public static Name tlsRptName(Name domain) {
        return Name.fromConstantString("_smtp._tls." + domain.toString());
    }

    /**
     * The TLS-RPT record every profile domain publishes: reports by mail to the lab's own inbox at the good profile
     * ({@link TlsReportInbox#MAILBOX}@good.<zone>), so a sender that reports what it refused is seen doing so.
     */
    public static String tlsRptRecord(Name zone) {
        String good = domain(LabProfile.GOOD, zone).toString(true);
        return "v=TLSRPTv1; rua=mailto:" + TlsReportInbox.MAILBOX + "@" + good;
    }

    private static Name relative(String label, Name zone) {
        return Name.fromConstantString(label + "." + zone.toString());
    }
}
