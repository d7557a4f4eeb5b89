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
    /** EHLO name when none is given: a name that cannot belong to anyone (RFC 6761 ".invalid"). */
    public static final String DEFAULT_EHLO_NAME = "doublelock.invalid";

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
