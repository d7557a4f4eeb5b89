package dev.doublelock.relay.intake;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * One network in CIDR notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}, or a bare address meaning
 * one host). IPv4 and IPv6 never match each other, except that an IPv4-mapped IPv6 client address
 * ({@code ::ffff:192.0.2.1}) is compared as the IPv4 address it carries.
 *
 * @param network the network address with host bits cleared
 * @param prefix  the prefix length, 0..32 or 0..128
 */
public record Cidr(InetAddress network, int prefix) {

    public Cidr {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix /" + prefix + " is out of range for " + network.getHostAddress()
                    + " (0.." + bits + ")");
        }
        network = masked(network, prefix);
    }

    /**
     * Parses {@code ADDRESS[/PREFIX]}. Only literal addresses are accepted (no DNS lookups).
     *
     * @throws IllegalArgumentException with the expected form, for anything else
     */
    public static Cidr parse(String text) {
        String t = Objects.requireNonNull(text, "text").strip();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        InetAddress ip = literal(address, text);
        int bits = ip.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has a bad prefix length; write e.g. 10.0.0.0/8 or 2001:db8::/32");
            }
        }
        try {
            return new Cidr(ip, prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage() + "; write e.g. 10.0.0.0/8 or 2001:db8::/32");
        }
    }

    /** True if {@code address} lies in this network. */
    public boolean contains(InetAddress address) {
        InetAddress a = unmapped(address);
        if (a.getAddress().length != network.getAddress().length) {
            return false;
        }
        return masked(a, prefix).equals(network);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }

    private static InetAddress literal(String address, String original) {
        boolean looksLiteral = !address.isEmpty() && (address.contains(":") || address.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
        if (!looksLiteral) {
            throw new IllegalArgumentException("'" + original + "' is not a network: write an IP address with an optional"
                    + " prefix length, e.g. 127.0.0.0/8, 192.0.2.10 or ::1 (host names are not allowed)");
        }
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + original + "' is not a valid IP address; write e.g. 127.0.0.0/8 or ::1/128");
        }
    }

    private static InetAddress masked(InetAddress address, int prefix) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress unmapped(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 16) {
            return address;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) return address;
        }
        if (b[10] != (byte) 0xff || b[11] != (byte) 0xff) {
            return address;
        }
        try {
            return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
