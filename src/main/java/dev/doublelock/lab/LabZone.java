package dev.doublelock.lab;

import dev.doublelock.dns.server.ZoneBuilder;
import dev.doublelock.dns.server.ZoneContent;
import dev.doublelock.dns.TlsaRecord;
import dev.doublelock.tls.pki.LabCertificate;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

import java.security.cert.X509Certificate;

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
 * The DANE scenarios ({@link DaneScenario}) add their TLSA records (and defects) at {@code _<port>._tcp.<mx>};
 * dane-insecure is a child zone of its own, delegated without DS and served unsigned.
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
        return builder(zone, nameServerAddresses, addresses, TlsRptRua.mailOnly());
    }

    /** As {@link #builder(Name, List, Map)}, every profile domain's TLS-RPT record sending reports to {@code rua}. */
    public static ZoneBuilder builder(Name zone, List<InetAddress> nameServerAddresses, Map<LabProfile, InetAddress> addresses,
                                      TlsRptRua rua) {
        ZoneBuilder b = ZoneBuilder.forZone(zone).nameServer(nameServer(zone), nameServerAddresses);
        for (LabProfile p : LabProfile.values()) {
            Name domain = domain(p, zone);
            if (insecureChild(p)) {
                // its own zone, unsigned: the parent proves with the cut's NSEC that there is no DS (RFC 4035 §5.2)
                b.delegation(domain, nameServer(zone), List.of(), java.util.Optional.empty());
                continue;
            }
            Name mx = mxHost(p, zone);
            b.mx(domain, 10, mx);
            b.txt(tlsRptName(domain), List.of(rua.record(zone)));
            InetAddress address = addresses.get(p);
            if (address == null || address.isAnyLocalAddress()) continue;
            b.address(domain, address);
            if (!mx.equals(domain)) b.address(mx, address);
        }
        return b;
    }

    /** A DANE scenario's endpoint, as its TLSA records need it: the port it listens on, the chain it serves (leaf first). */
    public record DaneEndpoint(int port, List<X509Certificate> chain) {
        public DaneEndpoint {
            chain = List.copyOf(chain);
            if (chain.isEmpty()) throw new IllegalArgumentException("a chain has at least the leaf");
        }
    }

    /** True for the profiles whose domain is a child zone of its own, delegated without DS (served unsigned). */
    public static boolean insecureChild(LabProfile p) {
        return p.dane().map(DaneScenario::insecureZone).orElse(false);
    }

    /** The MX hosts of the DANE scenarios whose certificate names them ({@link LabCertificate#MX_NAMES}). */
    public static List<String> daneMxNames(Name zone) {
        List<String> out = new java.util.ArrayList<>();
        for (LabProfile p : LabProfile.values()) {
            if (p.dane().isPresent() && p.certificate() == LabCertificate.MX_NAMES) out.add(mxHost(p, zone).toString(true));
        }
        return out;
    }

    /**
     * The whole zone with the DANE scenarios' TLSA records and defects: the parent, signed by the caller, and the
     * unsigned child zones of the insecure scenarios. A scenario without an entry in {@code dane} gets no TLSA record.
     */
    public record Zones(ZoneContent parent, List<ZoneContent> unsignedChildren) {
        public Zones {
            unsignedChildren = List.copyOf(unsignedChildren);
        }
    }

    public static Zones build(Name zone, List<InetAddress> nameServerAddresses, Map<LabProfile, InetAddress> addresses,
                              Map<LabProfile, DaneEndpoint> dane) {
        return build(zone, nameServerAddresses, addresses, dane, TlsRptRua.mailOnly(), b -> { });
    }

    /**
     * As {@link #build(Name, List, Map, Map)}, the TLS-RPT records (the unsigned children's too) sending reports to
     * {@code rua}, with more records in the parent zone (the SNI listener's addresses, the MTA-STS scenarios).
     */
    public static Zones build(Name zone, List<InetAddress> nameServerAddresses, Map<LabProfile, InetAddress> addresses,
                              Map<LabProfile, DaneEndpoint> dane, TlsRptRua rua,
                              java.util.function.Consumer<ZoneBuilder> more) {
        ZoneBuilder parent = builder(zone, nameServerAddresses, addresses, rua);
        more.accept(parent);
        List<ZoneContent> children = new java.util.ArrayList<>();
        for (LabProfile p : LabProfile.values()) {
            if (p.dane().isEmpty()) continue;
            Name domain = domain(p, zone);
            if (insecureChild(p)) {
                ZoneBuilder child = ZoneBuilder.forZone(domain).nameServer(nameServer(zone), List.of());
                child.mx(domain, 10, mxHost(p, zone));
                child.txt(tlsRptName(domain), List.of(rua.record(zone)));
                InetAddress address = addresses.get(p);
                if (address != null && !address.isAnyLocalAddress()) child.address(mxHost(p, zone), address);
                if (dane.containsKey(p)) addTlsa(child, p, zone, dane.get(p));
                children.add(child.build());
            } else if (dane.containsKey(p)) {
                addTlsa(parent, p, zone, dane.get(p));
            }
        }
        return new Zones(parent.build(), children);
    }

    /** {@code _<port>._tcp.<mx host>}: where a DANE sender looks for the MX host's TLSA records (RFC 7672 §2.2.3). */
    public static Name tlsaName(LabProfile p, Name zone, int port) {
        return Name.fromConstantString("_" + port + "._tcp." + mxHost(p, zone));
    }

    /** A TLSA record no certificate of the lab matches: the digest of a sentence, not of a key. */
    static TlsaRecord matchingNothing() {
        return new TlsaRecord(3, 1, 1, sha256("doublelock lab: this TLSA record matches no key".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    private static void addTlsa(ZoneBuilder b, LabProfile p, Name zone, DaneEndpoint endpoint) {
        Name owner = tlsaName(p, zone, endpoint.port());
        X509Certificate leaf = endpoint.chain().get(0);
        X509Certificate issuingCa = endpoint.chain().get(endpoint.chain().size() - 1);
        TlsaRecord leafMatch = new TlsaRecord(3, 1, 1, sha256(leaf.getPublicKey().getEncoded()));
        switch (p.dane().orElseThrow()) {
            case EE_MATCHING -> b.tlsa(owner, leafMatch);
            case TA_MATCHING, TA_WRONG_NAME -> b.tlsa(owner, new TlsaRecord(2, 1, 1, sha256(issuingCa.getPublicKey().getEncoded())));
            case NOT_MATCHING, INSECURE_ZONE -> b.tlsa(owner, matchingNothing());
            case BROKEN_RRSIG -> b.tlsa(owner, leafMatch).corruptSignature(owner, Type.TLSA);
            case EXPIRED_RRSIG -> b.tlsa(owner, leafMatch).expiredSignature(owner, Type.TLSA);
            case SERVFAIL -> b.tlsa(owner, leafMatch).servFail(owner, Type.TLSA);
            case NO_TLSA -> {
                // securely nothing: the NSEC at the MX host proves there is no TLSA name below it
            }
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }

    /** {@code _smtp._tls.<domain>}: where senders look for the domain's TLS report address (RFC 8460 §3). */
    public static Name tlsRptName(Name domain) {
        return Name.fromConstantString("_smtp._tls." + domain.toString());
    }

    /**
     * The TLS-RPT record of a lab without the HTTPS policy host: reports by mail to the lab's own inbox at the good
     * profile ({@link TlsReportInbox#MAILBOX}@good.<zone>), so a sender that reports what it refused is seen doing
     * so. With the policy host, {@link TlsRptRua#mailAndHttps} adds the HTTPS endpoint.
     */
    public static String tlsRptRecord(Name zone) {
        return TlsRptRua.mailOnly().record(zone);
    }

    private static Name relative(String label, Name zone) {
        return Name.fromConstantString(label + "." + zone.toString());
    }
}
