package dev.doublelock.relay.intake;

import java.net.InetAddress;
import java.util.List;

/**
 * The client networks the relay listener accepts mail from without authentication (Postfix's
 * {@code mynetworks}). Everyone else is refused at RCPT TO with 554 5.7.1: never an open relay.
 *
 * @param networks the allowed networks; empty means nobody
 */
public record NetworkAllowList(List<Cidr> networks) {

    public NetworkAllowList {
        networks = List.copyOf(networks);
    }

    /** Loopback only: 127.0.0.0/8 and ::1, the default for a trial on one machine. */
    public static NetworkAllowList loopback() {
        return new NetworkAllowList(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128")));
    }

    /** Parses each entry with {@link Cidr#parse}. */
    public static NetworkAllowList parse(List<String> entries) {
        return new NetworkAllowList(entries.stream().map(Cidr::parse).toList());
    }

    public boolean allows(InetAddress client) {
        return networks.stream().anyMatch(n -> n.contains(client));
    }
}
