package dev.doublelock.dns.server;

import java.time.Duration;

/**
 * The bounds of an {@link AuthoritativeServer}.
 *
 * @param maxQueryBytes         a longer query (UDP datagram or TCP message) is dropped unanswered; queries are small
 * @param maxUdpPayload         largest UDP answer, whatever EDNS payload the client offers (1232: DNS flag day 2020);
 *                              512 without EDNS; larger answers are truncated (TC) so the client asks over TCP
 * @param maxTcpConnections     TCP connections served at once; more are closed at accept
 * @param tcpIdleTimeout        longest wait for the next query on a TCP connection
 * @param tcpMessageTimeout     longest time for one query once its first octet arrived
 * @param maxQueriesPerTcpConnection then the server closes the connection
 * @param rateLimit             response-rate limiting of UDP answers per client prefix
 */
public record DnsLimits(int maxQueryBytes, int maxUdpPayload, int maxTcpConnections, Duration tcpIdleTimeout,
                        Duration tcpMessageTimeout, int maxQueriesPerTcpConnection, RateLimit rateLimit) {
    /**
     * Response-rate limiting (RRL) of UDP answers, so that a server published on the internet is a poor reflector:
     * a token bucket per client prefix ({@code /ipv4Prefix}, {@code /ipv6Prefix}) refilled at {@code perSecond}
     * up to {@code burst}. Over the limit, every {@code slip}-th answer goes out truncated (empty, TC set: a real
     * resolver retries over TCP, which is never limited) and the others are dropped; slip 0 drops them all.
     * At most {@code maxTrackedPrefixes} prefixes are tracked; the longest idle ones are forgotten first.
     */
    public record RateLimit(int perSecond, int burst, int slip, int ipv4Prefix, int ipv6Prefix, int maxTrackedPrefixes) {
        public RateLimit {
            if (perSecond <= 0 || burst < 1 || slip < 0 || ipv4Prefix < 0 || ipv4Prefix > 32 || ipv6Prefix < 0
                    || ipv6Prefix > 128 || maxTrackedPrefixes < 1) {
                throw new IllegalArgumentException("bad DNS rate limit " + perSecond + "/s burst " + burst + " slip " + slip);
            }
        }

        /** 20 answers a second per /24 or /56, bursts of 60, every second one over the limit truncated. */
        public static RateLimit defaults() {
            return new RateLimit(20, 60, 2, 24, 56, 100_000);
        }
    }

    public DnsLimits {
        if (maxQueryBytes < 12 || maxUdpPayload < 512 || maxTcpConnections < 1 || maxQueriesPerTcpConnection < 1) {
            throw new IllegalArgumentException("bad DNS limits");
        }
    }

    public static DnsLimits defaults() {
        return new DnsLimits(1024, 1232, 64, Duration.ofSeconds(10), Duration.ofSeconds(3), 200, RateLimit.defaults());
    }

    public DnsLimits withRateLimit(RateLimit limit) {
        return new DnsLimits(maxQueryBytes, maxUdpPayload, maxTcpConnections, tcpIdleTimeout, tcpMessageTimeout,
                maxQueriesPerTcpConnection, limit);
    }

    public DnsLimits withMaxTcpConnections(int n) {
        return new DnsLimits(maxQueryBytes, maxUdpPayload, n, tcpIdleTimeout, tcpMessageTimeout, maxQueriesPerTcpConnection, rateLimit);
    }

    public DnsLimits withTcpIdleTimeout(Duration idle) {
        return new DnsLimits(maxQueryBytes, maxUdpPayload, maxTcpConnections, idle, tcpMessageTimeout, maxQueriesPerTcpConnection, rateLimit);
    }
}
