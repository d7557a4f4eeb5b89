package dev.doublelock.tls.probe;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One endpoint to probe.
 *
 * @param address       resolved address and port (the prober does no DNS)
 * @param transport     how TLS starts
 * @param referenceName the name sent as SNI (if it is a DNS name) and expected in the certificate
 * @param ehloName      the name the prober gives in EHLO
 */
public record ProbeTarget(InetSocketAddress address, Transport transport, String referenceName, String ehloName) {
    /**
     * EHLO name when none is given: a name that cannot belong to anyone (RFC 6761 ".invalid") and that says who
     * is knocking. The lab recognises it (see {@link #isProbeEhloName}) and keeps these probes out of its results.
     */
    public static final String DEFAULT_EHLO_NAME = "doublelock-check.invalid";

    /** The first label every EHLO name the lab takes for the checker's probe starts with. */
    public static final String PROBE_LABEL = "doublelock-check";

    /** The default EHLO name of earlier versions, still recognised in old lab records. */
    static final String LEGACY_EHLO_NAME = "doublelock.invalid";

    /**
     * True for the EHLO names the checker's prober uses: the default, the one of earlier versions, and any name
     * whose first label is {@value #PROBE_LABEL} (e.g. {@code doublelock-check.example.org} for receivers that
     * want a resolvable name, given with {@code check --ehlo-name}). Case-insensitive, as DNS names are.
     */
    public static boolean isProbeEhloName(String name) {
        if (name == null) return false;
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.equals(LEGACY_EHLO_NAME) || n.equals(PROBE_LABEL) || n.startsWith(PROBE_LABEL + ".");
    }

    public ProbeTarget {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(transport, "transport");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("probe target " + address + " is unresolved: resolve it (MX/A/AAAA) first");
        }
        referenceName = referenceName == null || referenceName.isBlank() ? address.getAddress().getHostAddress() : referenceName;
        ehloName = ehloName == null || ehloName.isBlank() ? DEFAULT_EHLO_NAME : ehloName;
    }

    public ProbeTarget(InetSocketAddress address, Transport transport, String referenceName) {
        this(address, transport, referenceName, DEFAULT_EHLO_NAME);
    }

    /** "address:port" as {@code ServerObservation.endpoint} spells it ([v6]:port for IPv6). */
    public String endpoint() {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The SNI host name: the reference name unless it is an IP literal (RFC 6066 §3 forbids those). */
    Optional<String> sniName() {
        String n = referenceName;
        boolean ipLiteral = n.contains(":") || n.matches("[0-9.]+");
        return ipLiteral || n.isEmpty() ? Optional.empty()
                : Optional.of(n.endsWith(".") ? n.substring(0, n.length() - 1) : n);
    }
}
