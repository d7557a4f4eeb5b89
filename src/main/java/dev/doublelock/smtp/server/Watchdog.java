package dev.doublelock.smtp.server;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an action (closing a socket) if an operation that has no timeout of its own — a blocking write,
 * a TLS handshake trickled byte by byte — is still going after a deadline. One thread per server.
 */
final class Watchdog implements AutoCloseable {
    private final ScheduledThreadPoolExecutor timer;

    Watchdog() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "smtp-watchdog");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** A running guard; {@link #close()} disarms it, {@link #fired()} tells whether the deadline passed. */
    static final class Guard implements AutoCloseable {
        private final AtomicBoolean fired = new AtomicBoolean();
        private volatile ScheduledFuture<?> future;

        boolean fired() {
            return fired.get();
        }

        @Override
        public void close() {
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    Guard arm(Duration deadline, Runnable onExpiry) {
        Guard guard = new Guard();
        guard.future = timer.schedule(() -> {
            guard.fired.set(true);
            onExpiry.run();
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        return guard;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
