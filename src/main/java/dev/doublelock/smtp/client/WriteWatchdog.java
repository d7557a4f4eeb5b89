package dev.doublelock.smtp.client;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds operations that socket timeouts do not cover (blocking writes, a whole TLS handshake): when a
 * guarded operation outlives its deadline the expiry action (closing the socket) runs, which makes the
 * blocked call fail. One daemon thread serves every client session in the process.
 */
final class WriteWatchdog {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "smtp-client-watchdog");
        t.setDaemon(true);
        return t;
    });

    private WriteWatchdog() {
    }

    /** A running deadline; close it when the operation finished. */
    static final class Guard implements AutoCloseable {
        private final AtomicBoolean fired = new AtomicBoolean();
        private ScheduledFuture<?> future;

        /** True if the deadline passed and the expiry action ran. */
        boolean fired() {
            return fired.get();
        }

        @Override
        public void close() {
            future.cancel(false);
        }
    }

    static Guard arm(Duration timeout, Runnable onExpiry) {
        Guard guard = new Guard();
        guard.future = TIMER.schedule(() -> {
            guard.fired.set(true);
            onExpiry.run();
        }, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        return guard;
    }
}
