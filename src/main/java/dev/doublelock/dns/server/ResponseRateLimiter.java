package dev.doublelock.dns.server;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Response-rate limiting per client prefix (see {@link DnsLimits.RateLimit}): decides for each UDP answer whether
 * it goes out, goes out truncated, or is dropped. Bounded memory: an access-ordered table of at most
 * {@code maxTrackedPrefixes} buckets. Thread-safe.
 */
final class ResponseRateLimiter {
    enum Decision { SEND, SLIP, DROP }

    private static final class Bucket {
        double tokens;
        long lastNanos;
        long overLimit;
    }

    private final DnsLimits.RateLimit limit;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets;

    ResponseRateLimiter(DnsLimits.RateLimit limit, LongSupplier nanoTime) {
        this.limit = limit;
        this.nanoTime = nanoTime;
        this.buckets = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > limit.maxTrackedPrefixes();
            }
        };
    }

    synchronized Decision decide(InetAddress client) {
        long now = nanoTime.getAsLong();
        Bucket b = buckets.computeIfAbsent(prefix(client), k -> {
            Bucket fresh = new Bucket();
            fresh.tokens = limit.burst();
            fresh.lastNanos = now;
            return fresh;
        });
        b.tokens = Math.min(limit.burst(), b.tokens + (now - b.lastNanos) * limit.perSecond() / 1e9);
        b.lastNanos = now;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return Decision.SEND;
        }
        b.overLimit++;
        return limit.slip() > 0 && b.overLimit % limit.slip() == 0 ? Decision.SLIP : Decision.DROP;
    }

    private String prefix(InetAddress client) {
        byte[] a = client.getAddress();
        int bits = client instanceof Inet4Address ? limit.ipv4Prefix() : limit.ipv6Prefix();
        byte[] p = Arrays.copyOf(a, a.length);
        for (int i = 0; i < p.length * 8; i++) {
            if (i >= bits) p[i / 8] &= (byte) ~(0x80 >>> (i % 8));
        }
        return Arrays.toString(p) + "/" + bits;
    }
}
