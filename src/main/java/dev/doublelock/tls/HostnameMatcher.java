package dev.doublelock.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Does a certificate name the server we meant to reach? Service-identity matching after RFC 6125 /
 * RFC 9525, as MTAs apply it on port 25:
 * <ul>
 *   <li>a DNS reference name matches the certificate's DNS-ID subjectAltNames, case-insensitively,
 *       ignoring one trailing dot;</li>
 *   <li>a wildcard is honoured only as the entire left-most label ({@code *.example.com}) and matches
 *       exactly one label ({@code mx.example.com}, not {@code example.com} nor {@code a.b.example.com});
 *       partial wildcards ({@code mx*.example.com}) and wildcards over a single label ({@code *.com}) never match;</li>
 *   <li>an IP-address reference (127.0.0.1, ::1) matches only iPAddress subjectAltNames (RFC 9525 IP-ID);</li>
 *   <li>the subject CN is never consulted by {@link #matches(X509Certificate, String)}: RFC 9525, which obsoletes
 *       RFC 6125, no longer uses the CN-ID (see its list of changes from RFC 6125), CA/B Forum baseline
 *       requirements demand a SAN, and browsers refuse CN-only certificates. A certificate without a matching
 *       SAN therefore fails (lab profile cn-only). RFC 6125 §6.4.4, RFC 7672 §3.2.3 and Postfix still fall back
 *       to the CN when a certificate has no DNS-ID at all; {@code matches(cert, name, true)} reproduces that for
 *       a policy that asks for it (rule param {@code cnFallback}).</li>
 * </ul>
 * Never performs a DNS lookup.
 */
public final class HostnameMatcher {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostnameMatcher() {
    }

    /** Matches SAN identifiers only (RFC 9525): the subject CN is ignored. */
    public static boolean matches(X509Certificate cert, String referenceName) {
        return matches(cert, referenceName, false);
    }

    public static boolean matches(X509Certificate cert, String referenceName, boolean allowCnFallback) {
        Objects.requireNonNull(cert, "cert");
        if (referenceName == null || referenceName.isBlank()) {
            return false;
        }
        String ref = referenceName.trim();
        byte[] ip = ipLiteral(ref);
        if (ip != null) {
            return sans(cert, SAN_IP).stream().map(HostnameMatcher::ipLiteral)
                    .anyMatch(candidate -> candidate != null && Arrays.equals(candidate, ip));
        }
        List<String> dnsIds = sans(cert, SAN_DNS);
        if (!dnsIds.isEmpty()) {
            return dnsIds.stream().anyMatch(id -> dnsMatches(id, ref));
        }
        return allowCnFallback && commonNames(cert).stream().anyMatch(cn -> dnsMatches(cn, ref));
    }

    /** One presented DNS identifier against one reference name. Public for table tests. */
    public static boolean dnsMatches(String presented, String reference) {
        String p = normalize(presented);
        String r = normalize(reference);
        if (p.isEmpty() || r.isEmpty() || r.contains("*")) {
            return false;
        }
        if (!p.contains("*")) {
            return p.equals(r);
        }
        if (!p.startsWith("*.") || p.indexOf('*', 1) >= 0) {
            return false; // partial or non-left-most wildcard: not honoured (RFC 9525 §6.3)
        }
        String suffix = p.substring(1); // ".example.com"
        if (suffix.chars().filter(c -> c == '.').count() < 2) {
            return false; // "*.com": would cover a whole top-level domain
        }
        if (!r.endsWith(suffix)) {
            return false;
        }
        String firstLabel = r.substring(0, r.length() - suffix.length());
        return !firstLabel.isEmpty() && firstLabel.indexOf('.') < 0;
    }

    private static String normalize(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** Parses an IPv4 or IPv6 literal without any DNS lookup; null if it is not one. */
    static byte[] ipLiteral(String s) {
        String t = s.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        var m = IPV4.matcher(t);
        if (m.matches()) {
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(m.group(i + 1));
                if (octet > 255) {
                    return null;
                }
                out[i] = (byte) octet;
            }
            return out;
        }
        if (t.indexOf(':') >= 0 && t.matches("[0-9A-Fa-f:.%]+")) {
            try {
                return InetAddress.getByName(t).getAddress(); // a literal with ':' is parsed, never resolved
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    static List<String> sans(X509Certificate cert, int type) {
        try {
            Collection<List<?>> all = cert.getSubjectAlternativeNames();
            if (all == null) {
                return List.of();
            }
            return all.stream().filter(e -> e.size() >= 2 && e.get(0) instanceof Integer t && t == type)
                    .map(e -> String.valueOf(e.get(1))).toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    static List<String> commonNames(X509Certificate cert) {
        try {
            LdapName dn = new LdapName(cert.getSubjectX500Principal().getName());
            return dn.getRdns().stream().filter(r -> r.getType().equalsIgnoreCase("CN"))
                    .map(Rdn::getValue).map(String::valueOf).toList();
        } catch (InvalidNameException e) {
            return List.of();
        }
    }
}
