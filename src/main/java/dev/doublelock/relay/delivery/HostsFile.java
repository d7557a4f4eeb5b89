package dev.doublelock.relay.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The host names listed in the system's hosts file ({@code /etc/hosts}, see hosts(5)): a static route to one of
 * them, or to {@code localhost}, is resolved by the system resolver ({@link java.net.InetAddress}) instead of DNS,
 * as an operator who writes {@code "localhost:2525"} or a name from {@code /etc/hosts} expects. Only the names are
 * kept; the addresses come from the system resolver, which reads the same file (and honours nsswitch.conf).
 */
public final class HostsFile {
    /** The file read when none is given; at most this many octets of it are read. */
    public static final Path SYSTEM = Path.of("/etc/hosts");
    private static final long MAX_OCTETS = 1 << 20;

    private final Set<String> names;

    private HostsFile(Set<String> names) {
        this.names = Set.copyOf(names);
    }

    /** The names in {@code /etc/hosts}; none if it is missing or unreadable. */
    public static HostsFile system() {
        return read(SYSTEM);
    }

    /** The names in {@code file}; none if it is missing, unreadable or larger than 1 MiB. */
    public static HostsFile read(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_OCTETS) {
                return parse("");
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return parse("");
        }
    }

    /** Parses hosts(5) text: per line an address, then names; {@code #} starts a comment. */
    public static HostsFile parse(String text) {
        Set<String> names = new HashSet<>();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            String[] fields = (hash >= 0 ? line.substring(0, hash) : line).strip().split("\\s+");
            for (int i = 1; i < fields.length; i++) {
                names.add(normalize(fields[i]));
            }
        }
        return new HostsFile(names);
    }

    /**
     * True if {@code host} is {@code localhost} (RFC 6761 §6.3: resolved locally) or listed in this file. Names
     * under {@code .localhost} are not: the system resolver rarely knows them, and a test DNS zone may serve them.
     */
    public boolean isLocal(String host) {
        String h = normalize(host);
        return h.equals("localhost") || names.contains(h);
    }

    private static String normalize(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
