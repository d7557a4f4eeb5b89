package dev.doublelock.tls.probe;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Caps the connections open at once to one IP address, across every probe sharing this limiter. The cap starts at
 * {@link ProbeOptions#maxConnectionsPerHost()} and only goes down: when an address turns connections away (SMTP 421
 * or 450, a refused or dropped connection mid-scan) its cap is halved, down to 1, and stays there for the life of
 * the limiter, so a rate-limited receiver sees fewer and fewer connections instead of the same burst again.
 */
final class HostLimiter {
    private final int perHost;
    private final ConcurrentHashMap<InetAddress, Gate> gates = new ConcurrentHashMap<>();

    HostLimiter(int perHost) {
        this.perHost = perHost;
    }

    /** A held permit; close it to give it back. Null if the deadline passed while waiting. */
    Permit acquire(InetAddress host, Deadline deadline) throws InterruptedException {
        Gate g = gates.computeIfAbsent(host, h -> new Gate(perHost));
        int capNow = g.cap();
        if (!g.tryAcquire(deadline.remainingMillis(), TimeUnit.MILLISECONDS)) {
            return null;
        }
        return new Permit(g, capNow);
    }

    /**
     * The address turned away a connection opened under {@code permit}: halve its cap (at least 1). Several
     * connections of the same burst refused together lower it once, not once each: only a refusal of a connection
     * opened under the current cap lowers it further. Returns the cap now in force.
     */
    int throttled(InetAddress host, Permit permit) {
        return gates.computeIfAbsent(host, h -> new Gate(perHost)).lower(permit.capWhenOpened);
    }

    /** The cap now in force for {@code host}. */
    int cap(InetAddress host) {
        Gate g = gates.get(host);
        return g == null ? perHost : g.cap();
    }

    /** A permit that releases once. */
    static final class Permit implements AutoCloseable {
        private final Gate gate;
        private final int capWhenOpened;
        private boolean released;

        private Permit(Gate gate, int capWhenOpened) {
            this.gate = gate;
            this.capWhenOpened = capWhenOpened;
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                gate.release();
            }
        }
    }

    /** A fair semaphore whose number of permits can be lowered while permits are held. */
    private static final class Gate extends Semaphore {
        private int cap;

        Gate(int cap) {
            super(cap, true);
            this.cap = cap;
        }

        synchronized int cap() {
            return cap;
        }

        synchronized int lower(int seenCap) {
            if (seenCap < cap) return cap; // already lowered for this burst
            int next = Math.max(1, cap / 2);
            if (next < cap) {
                reducePermits(cap - next);
                cap = next;
            }
            return cap;
        }
    }
}
