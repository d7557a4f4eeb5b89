package dev.doublelock.relay.delivery;

import java.util.Locale;
import java.util.Objects;

/**
 * One next-hop server for a recipient domain: an MX host, or a host from a static route.
 *
 * @param host the host name (the TLS reference identifier) or an IP literal, without brackets
 * @param port the TCP port, 25 for MX hosts
 */
public record Hop(String host, int port) {
    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public Hop {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("a hop needs a host name or address");
        }
        host = host.strip().toLowerCase(Locale.ROOT);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port + " for " + host);
        }
    }

    /**
     * Parses a Postfix-transport-style destination: {@code host}, {@code host:port}, {@code [host]:port},
     * {@code [2001:db8::1]:2525}; the port defaults to 25.
     */
    public static Hop parse(String spec) {
        String s = Objects.requireNonNull(spec, "hop").strip();
        String host = s;
        int port = 25;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("unclosed '[' in route destination " + spec + "; write [host]:port");
            }
            host = s.substring(1, end);
            String rest = s.substring(end + 1);
            if (rest.startsWith(":")) {
                port = port(rest.substring(1), spec);
            } else if (!rest.isEmpty()) {
                throw new IllegalArgumentException("unexpected '" + rest + "' in route destination " + spec);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon > 0 && s.indexOf(':') == colon) {
                host = s.substring(0, colon);
                port = port(s.substring(colon + 1), spec);
            }
        }
        return new Hop(host, port);
    }

    /** True if {@link #host} is an IPv4 or IPv6 literal rather than a name. */
    public boolean isAddressLiteral() {
        return host.contains(":") || IPV4.matcher(host).matches();
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static int port(String text, String spec) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port '" + text + "' in route destination " + spec
                    + "; write host:port, e.g. mx.example.org:25");
        }
    }
}
