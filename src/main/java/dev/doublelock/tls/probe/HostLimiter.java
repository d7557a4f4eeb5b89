package dev.doublelock.tls.probe;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Caps the connections open at once to one IP address, across every probe sharing this limiter. */
final class HostLimiter {
    private final int perHost;
    private final ConcurrentHashMap<InetAddress, Semaphore> permits = new ConcurrentHashMap<>();

    HostLimiter(int perHost) {
        this.perHost = perHost;
    }

    /** A held permit; close it to give it back. Null if the deadline passed while waiting. */
    Permit acquire(InetAddress host, Deadline deadline) throws InterruptedException {
        Semaphore s = permits.computeIfAbsent(host, h -> new Semaphore(perHost, true));
        if (!s.tryAcquire(deadline.remainingMillis(), TimeUnit.MILLISECONDS)) {
            return null;
        }
        return s::release;
    }

    /** A permit that releases once. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }
}
