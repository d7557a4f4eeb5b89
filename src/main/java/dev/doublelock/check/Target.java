package dev.doublelock.check;

import java.net.IDN;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import dev.doublelock.tls.probe.Transport;

/**
 * What the user asked to check: a mail domain (its MX hosts are looked up) or one endpoint
 * ({@code host:port}, {@code [v6]:port}). Domain names are kept as A-labels (IDN converted, lower case,
 * no trailing dot), so DNS, SNI and certificate matching all see the same spelling.
 */
public sealed interface Target {

    /** The text as the user should see it again in reports. */
    String display();

    /** A mail domain: MX lookup, then every MX host on the SMTP port. */
    record Domain(String name) implements Target {
        public String display() {
            return name;
        }
    }

    /**
     * One endpoint; {@code host} is a DNS name (A-label) or an IP literal (without brackets).
     *
     * @param transport how TLS starts there, if the target said so ({@code smtp://}, {@code smtps://},
     *                  {@code tls://}); empty: the command's choice ({@code --starttls}, {@code --implicit-tls}),
     *                  by default SMTP STARTTLS
     */
    record Endpoint(String host, int port, Optional<Transport> transport) implements Target {
        public Endpoint {
            Objects.requireNonNull(transport, "transport");
        }

        /** An endpoint whose transport the command decides (by default SMTP STARTTLS). */
        public Endpoint(String host, int port) {
            this(host, port, Optional.empty());
        }

        public String display() {
            return transport.map(Target::scheme).orElse("") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }

        public boolean isIpLiteral() {
            return host.contains(":") || host.matches("[0-9.]+");
        }
    }

    /**
     * Parses {@code example.org}, {@code bücher.example}, {@code mx.example.org:25}, {@code 192.0.2.1:2525},
     * {@code [2001:db8::1]:25}, and with a transport {@code smtp://mx.example.org}, {@code smtps://mx.example.org:465},
     * {@code tls://192.0.2.1:443} (see {@link #withScheme}).
     *
     * @throws IllegalArgumentException with a message that says how to write the target
     */
    public static Target parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) throw bad(text, "it is empty");
        int scheme = t.indexOf("://");
        if (scheme >= 0) {
            return withScheme(text, t.substring(0, scheme).toLowerCase(Locale.ROOT), t.substring(scheme + 3));
        }
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':') {
                throw bad(text, "an IPv6 endpoint is written [ADDRESS]:PORT");
            }
            String v6 = t.substring(1, close);
            if (!v6.matches("[0-9A-Fa-f:.]+") || !v6.contains(":")) throw bad(text, "'" + v6 + "' is not an IPv6 address");
            return new Endpoint(v6.toLowerCase(Locale.ROOT), port(text, t.substring(close + 2)));
        }
        int colon = t.lastIndexOf(':');
        if (colon >= 0) {
            if (t.indexOf(':') != colon) throw bad(text, "write IPv6 endpoints as [ADDRESS]:PORT");
            String host = t.substring(0, colon);
            int port = port(text, t.substring(colon + 1));
            return new Endpoint(host.matches("[0-9.]+") ? ipv4(text, host) : domainName(text, host), port);
        }
        if (t.matches("[0-9.]+")) throw bad(text, "an IP address needs a port, e.g. " + t + ":25");
        return new Domain(domainName(text, t));
    }

    /**
     * {@code smtp://HOST[:PORT]} (STARTTLS, RFC 3207; port 25), {@code smtps://HOST[:PORT]} (implicit TLS,
     * RFC 8314 §3.3; port 465), {@code tls://HOST:PORT} (TLS from the first byte, no application protocol): always
     * one endpoint, never an MX lookup.
     */
    private static Target withScheme(String text, String scheme, String rest) {
        Transport transport = switch (scheme) {
            case "smtp" -> Transport.SMTP_STARTTLS;
            case "smtps" -> Transport.IMPLICIT_TLS;
            case "tls" -> Transport.PLAIN_TLS;
            default -> throw bad(text, "'" + scheme + "://' is not a known scheme (smtp://, smtps://, tls://)");
        };
        String r = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
        boolean hasPort = r.startsWith("[") ? r.contains("]:") : r.contains(":");
        if (!hasPort) {
            if (transport == Transport.PLAIN_TLS) throw bad(text, "a tls:// target needs a port, e.g. tls://" + r + ":443");
            r = (r.contains(":") && !r.startsWith("[") ? "[" + r + "]" : r) + ":" + (transport == Transport.IMPLICIT_TLS ? 465 : 25);
        }
        if (!(parse(r) instanceof Endpoint e)) throw bad(text, "no host after " + scheme + "://");
        return new Endpoint(e.host(), e.port(), Optional.of(transport));
    }

    /** The scheme {@link #parse} reads for a transport, with its "://". */
    static String scheme(Transport t) {
        return switch (t) {
            case SMTP_STARTTLS -> "smtp://";
            case IMPLICIT_TLS -> "smtps://";
            case PLAIN_TLS -> "tls://";
        };
    }

    private static String ipv4(String text, String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) throw bad(text, "'" + host + "' is not an IPv4 address");
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) throw bad(text, "'" + host + "' is not an IPv4 address");
        }
        return host;
    }

    private static String domainName(String text, String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty()) throw bad(text, "the host name is empty");
        String ascii;
        try {
            ascii = IDN.toASCII(n, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw bad(text, "'" + n + "' is not a valid domain name (" + e.getMessage() + ")");
        }
        if (ascii.length() > 253 || !ascii.matches("[a-z0-9_]([a-z0-9_-]{0,62})(\\.[a-z0-9_]([a-z0-9_-]{0,62}))*")) {
            throw bad(text, "'" + n + "' is not a valid domain name");
        }
        return ascii;
    }

    private static int port(String text, String digits) {
        if (!digits.matches("[0-9]{1,5}")) throw bad(text, "the port '" + digits + "' is not a number");
        int p = Integer.parseInt(digits);
        if (p < 1 || p > 65535) throw bad(text, "the port must be 1..65535");
        return p;
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("cannot check '" + text + "': " + why
                + "; give a mail domain (example.org) or an endpoint (mx.example.org:25, 192.0.2.1:25, [2001:db8::1]:25, "
                + "smtps://mx.example.org:465, tls://192.0.2.1:443)");
    }
}
