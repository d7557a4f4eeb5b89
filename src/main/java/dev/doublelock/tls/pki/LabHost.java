package dev.doublelock.tls.pki;

import org.bouncycastle.util.IPAddress;

import java.net.IDN;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The lab host name and the subjectAltNames that go with it: a DNS name gets a DNS SAN, an IP
 * literal an IP SAN, and {@code localhost} also 127.0.0.1 and ::1.
 *
 * @param name        normalised: lower case, ASCII (IDNA), no trailing dot or IPv6 brackets
 * @param dnsNames    DNS SANs
 * @param ipAddresses IP SANs
 */
record LabHost(String name, List<String> dnsNames, List<String> ipAddresses) {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?");

    static LabHost of(String hostName) {
        if (hostName == null || hostName.isBlank()) {
            throw new IllegalArgumentException("the lab host name is empty; give a DNS name such as localhost or mx.example.test");
        }
        String name = hostName.trim();
        if (name.startsWith("[") && name.endsWith("]")) name = name.substring(1, name.length() - 1);
        if (IPAddress.isValid(name)) return new LabHost(name.toLowerCase(Locale.ROOT), List.of(), List.of(name.toLowerCase(Locale.ROOT)));
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
        try {
            name = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + hostName + "' is not a valid host name (" + e.getMessage()
                    + "); use letters, digits, hyphens and dots, e.g. mx.example.test", e);
        }
        if (name.length() > 253 || !name.chars().allMatch(c -> c < 128)
                || !java.util.Arrays.stream(name.split("\\.", -1)).allMatch(l -> LABEL.matcher(l).matches())) {
            throw new IllegalArgumentException("'" + hostName + "' is not a valid host name; use letters, digits, hyphens "
                    + "and dots, e.g. mx.example.test");
        }
        if (name.equals("localhost")) return new LabHost(name, List.of(name), List.of("127.0.0.1", "::1"));
        return new LabHost(name, List.of(name), List.of());
    }

    /** This host with further DNS SANs (the names come after the host's own, duplicates dropped). */
    LabHost alsoNaming(List<String> more) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(dnsNames);
        for (String n : more) all.add(of(n).name());
        return new LabHost(name, List.copyOf(all), ipAddresses);
    }

    /**
     * The DNS name the wildcard-too-deep certificate hangs its wildcard below: {@code deep.<name>}, or
     * {@code deep.lab.invalid} when the lab host is an IP literal (a wildcard over an address means nothing).
     * Two labels, at least, sit above the wildcard, so that lax matchers which refuse {@code *.tld} still accept.
     */
    private String deepParent() {
        return "deep." + (dnsNames.isEmpty() ? "lab.invalid" : name);
    }

    /** {@code *.deep.<name>}: the only name in the wildcard-too-deep certificate. */
    String deepWildcard() {
        return "*." + deepParent();
    }

    /** {@code a.b.deep.<name>}: two labels below {@link #deepWildcard()}'s parent, so the wildcard must not match. */
    String deepWildcardReference() {
        return "a.b." + deepParent();
    }
}
