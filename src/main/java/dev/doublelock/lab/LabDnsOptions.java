package dev.doublelock.lab;

import dev.doublelock.dns.server.DnsLimits;
import dev.doublelock.dns.server.ZoneBuilder;
import org.xbill.DNS.Name;

import java.net.InetSocketAddress;

/**
 * The lab's DNS endpoint: which zone it serves (signed), where it listens (UDP and TCP on one port), its limits.
 *
 * @param zone   the lab zone, e.g. {@code lab.test.}
 * @param bind   address and port (port 0 = any free port)
 * @param limits sizes, timeouts, connection cap and response-rate limit
 */
public record LabDnsOptions(Name zone, InetSocketAddress bind, DnsLimits limits) {
    /** Port of the loopback lab's DNS (unprivileged; 53 when published). */
    public static final int DEFAULT_PORT = 8053;

    public static LabDnsOptions of(String zone, InetSocketAddress bind) {
        return new LabDnsOptions(ZoneBuilder.zoneName(zone), bind, DnsLimits.defaults());
    }

    public LabDnsOptions withLimits(DnsLimits newLimits) {
        return new LabDnsOptions(zone, bind, newLimits);
    }
}
