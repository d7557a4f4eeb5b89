package dev.doublelock.dns;

import org.xbill.DNS.SimpleResolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A DNS server given as {@code HOST}, {@code HOST:PORT}, {@code [IPv6]:PORT} or a bare IPv6 address
 * (the {@code --resolver} option). The host must be an IP literal, so that finding the resolver does
 * not itself need DNS.
 */
record ResolverAddress(InetAddress address, int port) {

    static ResolverAddress parse(String text) {
        String host = text.trim();
        int port = 53;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                throw bad(text, "missing ']'");
            }
            String rest = host.substring(close + 1);
            host = host.substring(1, close);
            if (rest.startsWith(":")) {
                port = port(text, rest.substring(1));
            } else if (!rest.isEmpty()) {
                throw bad(text, "unexpected text after ']'");
            }
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            port = port(text, host.substring(host.indexOf(':') + 1));
            host = host.substring(0, host.indexOf(':'));
        }
        if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]+")) {
            throw bad(text, "the resolver must be an IP address, not a name");
        }
        try {
            return new ResolverAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw bad(text, "not an IP address");
        }
    }

    SimpleResolver simpleResolver() {
        return new SimpleResolver(new InetSocketAddress(address, port));
    }

    private static int port(String text, String digits) {
        try {
            int p = Integer.parseInt(digits);
            if (p < 1 || p > 65535) {
                throw bad(text, "port must be 1..65535");
            }
            return p;
        } catch (NumberFormatException e) {
            throw bad(text, "port is not a number");
        }
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("bad resolver address '" + text + "': " + why
                + "; write it as IP, IP:PORT or [IPv6]:PORT, e.g. 127.0.0.1:5353");
    }
}
