package dev.doublelock.lab;

import dev.doublelock.dns.server.ZoneBuilder;
import org.xbill.DNS.Name;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * One IPv6 /64 for the whole lab: profile number {@code n} (its {@link LabProfile} ordinal) gets
 * {@code <prefix>::<n + 1>} (good {@code ::1}, self-signed {@code ::2}, … in hexadecimal), so the address of a
 * profile never moves when profiles are added at the end. Each profile listens on port 25 of its own address, and
 * its certificate names its mail domain {@code <profile>.<zone>}: one host with one /64 publishes every profile.
 *
 * <p>The host must accept the whole /64 and let the lab bind addresses no interface carries. On Linux:
 * {@code ip -6 route add local P/64 dev lo} (deliver the /64 locally) and {@code sysctl net.ipv6.ip_nonlocal_bind=1}
 * (bind() refuses an address that is only covered by a local route otherwise; the JDK has no IP_FREEBIND), or
 * instead one {@code ip -6 addr add P::N/128 dev lo} per profile. Measured by {@code Ipv6LabTest}.
 *
 * @param prefix the /64's first address (the host bits zero)
 */
public record Ipv6Plan(Inet6Address prefix) {
    /** Port 25: an MX record carries no port. */
    public static final int DEFAULT_PORT = 25;

    public Ipv6Plan {
        byte[] b = prefix.getAddress();
        for (int i = 8; i < 16; i++) {
            if (b[i] != 0) throw new IllegalArgumentException(prefix.getHostAddress() + " is not the start of a /64");
        }
        if (prefix.getScopeId() != 0 || prefix.isLinkLocalAddress() || prefix.isMulticastAddress()) {
            throw new IllegalArgumentException(prefix.getHostAddress() + " is not a global or unique-local /64");
        }
    }

    /** Parses {@code 2001:db8:1:2::/64}; anything but a /64 with zero host bits is refused with the reason. */
    public static Ipv6Plan parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        if (slash < 0 || !t.substring(slash + 1).equals("64")) {
            throw new IllegalArgumentException("--ipv6-prefix wants a /64 such as 2001:db8:1:2::/64, got '" + text + "'");
        }
        String address = t.substring(0, slash);
        if (!address.contains(":") || !address.chars().allMatch(c -> c == ':' || Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("--ipv6-prefix: '" + address + "' is not an IPv6 address");
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.getByName(address); // a literal: never a DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--ipv6-prefix: '" + address + "' is not an IPv6 address", e);
        }
        if (!(parsed instanceof Inet6Address v6)) {
            throw new IllegalArgumentException("--ipv6-prefix: '" + address + "' is not an IPv6 address");
        }
        return new Ipv6Plan(v6);
    }

    /** {@code <prefix>::<ordinal + 1>}. */
    public Inet6Address address(LabProfile profile) {
        byte[] b = prefix.getAddress();
        int id = profile.ordinal() + 1;
        b[14] = (byte) (id >>> 8);
        b[15] = (byte) id;
        try {
            return (Inet6Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes are always an address
        }
    }

    /** The /64 as written in the routing commands, e.g. {@code 2001:db8:1:2::/64}. */
    public String cidr() {
        byte[] b = prefix.getAddress();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            s.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
        }
        return s.append(":/64").toString().toLowerCase(Locale.ROOT);
    }

    /**
     * Every profile on {@code [address(profile)]:port}, its certificate naming its mail domain in {@code zone} (the
     * name the zone's MX points to, see {@link LabZone#mxHost}).
     */
    public Map<LabProfile, LabEndpoint> endpoints(Name zone, int port) {
        Map<LabProfile, LabEndpoint> out = new EnumMap<>(LabProfile.class);
        for (LabProfile p : LabProfile.values()) {
            out.put(p, new LabEndpoint(p, new InetSocketAddress(address(p), port), hostName(p, zone)));
        }
        return out;
    }

    /** The lab host name a profile's certificate is made for: its mail domain, without the trailing dot. */
    public static String hostName(LabProfile profile, Name zone) {
        return LabZone.domain(profile, zone).toString(true);
    }

    /** Adds every profile's AAAA record (its mail domain and, where it differs, its MX host) to a lab zone. */
    public ZoneBuilder addAddresses(ZoneBuilder zone) {
        for (LabProfile p : LabProfile.values()) {
            // dane-insecure is a child zone of its own, delegated: its addresses are in the child (LabZone.build)
            if (LabZone.insecureChild(p)) continue;
            Name domain = LabZone.domain(p, zone.origin());
            Name mx = LabZone.mxHost(p, zone.origin());
            zone.address(domain, address(p));
            if (!mx.equals(domain)) zone.address(mx, address(p));
        }
        return zone;
    }
}
