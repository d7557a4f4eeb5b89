package dev.doublelock.relay.intake;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Failed AUTH attempts per client address across sessions and listeners (one guard per relay), judged by an
 * {@link AuthFailureLimit}. IPv4 clients count per address; IPv6 clients per /64, the smallest network a host is
 * normally given, so rotating addresses inside one's own /64 gains nothing. At most {@value #MAX_CLIENTS} clients are
 * tracked (the least recently failing are forgotten first), so a flood of addresses cannot exhaust memory.
 * Thread-safe.
 */
public final class AuthFailureGuard {
    static final int MAX_CLIENTS = 100_000;

    private final AuthFailureLimit limit;
    private final Clock clock;
    private final LinkedHashMap<String, Client> clients = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Client> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    public AuthFailureGuard(AuthFailureLimit limit, Clock clock) {
        this.limit = Objects.requireNonNull(limit, "limit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A guard that never blocks. */
    public static AuthFailureGuard off() {
        return new AuthFailureGuard(AuthFailureLimit.OFF, Clock.systemUTC());
    }

    /** If {@code address} is blocked now: how long it still is. */
    public synchronized Optional<Duration> blocked(InetAddress address) {
        if (!limit.enabled()) {
            return Optional.empty();
        }
        Client c = clients.get(key(address));
        Instant now = clock.instant();
        if (c == null || c.blockedUntil == null || !now.isBefore(c.blockedUntil)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, c.blockedUntil));
    }

    /**
     * Counts one failure from {@code address}; true if the address is blocked from now on (this failure reached the
     * limit).
     */
    public synchronized boolean failed(InetAddress address) {
        if (!limit.enabled()) {
            return false;
        }
        Instant now = clock.instant();
        Client c = clients.computeIfAbsent(key(address), k -> new Client());
        c.failures.addLast(now);
        Instant oldest = now.minus(limit.window());
        for (Iterator<Instant> it = c.failures.iterator(); it.hasNext(); ) {
            if (it.next().isAfter(oldest)) {
                break;
            }
            it.remove();
        }
        if (c.failures.size() >= limit.maxFailures()) {
            c.blockedUntil = now.plus(limit.block());
            c.failures.clear();
            return true;
        }
        return false;
    }

    /** Number of client networks tracked now (for tests and metrics). */
    public synchronized int tracked() {
        return clients.size();
    }

    /** The address, or for IPv6 its /64, as the key failures are counted under. */
    static String key(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            return "v6:" + java.util.HexFormat.of().formatHex(Arrays.copyOf(b, 8)) + "::/64";
        }
        return address.getHostAddress();
    }

    private static final class Client {
        final Deque<Instant> failures = new ArrayDeque<>();
        Instant blockedUntil;
    }
}
