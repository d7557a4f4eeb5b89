package dev.doublelock.lab;

import dev.doublelock.dns.server.ZoneBuilder;
import org.xbill.DNS.Name;

import java.net.InetAddress;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which profile the lab's one SNI listener serves for the host name a sender asks for: the profile whose MX host
 * (or mail domain) in the lab zone it names, {@link LabProfile#GOOD} for no name or any other name. Only profiles
 * whose plaintext SMTP is good's can be chosen by a name that comes with the TLS handshake: not no-starttls,
 * starttls-broken or the injection profiles, whose defect happens before TLS.
 */
public final class SniProfiles {
    private final Map<String, LabProfile> byName;

    private SniProfiles(Map<String, LabProfile> byName) {
        this.byName = byName;
    }

    /** The names of every {@link #selectable} profile in {@code zone}. */
    public static SniProfiles of(Name zone) {
        Map<String, LabProfile> names = new LinkedHashMap<>();
        for (LabProfile p : LabProfile.values()) {
            if (!selectable(p)) continue;
            names.putIfAbsent(key(LabZone.mxHost(p, zone).toString(true)), p);
            names.putIfAbsent(key(LabZone.domain(p, zone).toString(true)), p);
        }
        return new SniProfiles(Collections.unmodifiableMap(names));
    }

    /**
     * True when a profile differs from good only from the TLS handshake on. Not the DANE scenarios: their TLSA records
     * name their own endpoint's port and certificate, which the SNI listener's port and leaves are not.
     */
    public static boolean selectable(LabProfile p) {
        return p.startTls() == LabProfile.StartTls.OFFERED && p.dane().isEmpty();
    }

    /** Every selectable profile, in profile order. */
    public static Set<LabProfile> selectable() {
        EnumSet<LabProfile> out = EnumSet.noneOf(LabProfile.class);
        Arrays.stream(LabProfile.values()).filter(SniProfiles::selectable).forEach(out::add);
        return out;
    }

    /** The profile a sender gets for the host name it sent (case and a trailing dot do not matter). */
    public LabProfile select(Optional<String> serverName) {
        return serverName.map(n -> byName.get(key(n))).orElse(LabProfile.GOOD);
    }

    /**
     * Points every selectable profile's mail domain and MX host at the SNI listener's {@code address}, unless the
     * profile's own endpoint already has an address of that family ({@code own}): a sender with IPv4 only reaches
     * good and the profiles it can name by SNI, one with IPv6 each profile's own address.
     */
    public static ZoneBuilder addAddresses(ZoneBuilder zone, InetAddress address, Map<LabProfile, InetAddress> own) {
        for (LabProfile p : selectable()) {
            InetAddress mine = own.get(p);
            if (mine != null && !mine.isAnyLocalAddress() && mine.getClass() == address.getClass()) continue;
            Name domain = LabZone.domain(p, zone.origin());
            Name mx = LabZone.mxHost(p, zone.origin());
            zone.address(domain, address);
            if (!mx.equals(domain)) zone.address(mx, address);
        }
        return zone;
    }

    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
