package dev.doublelock.smtp.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The message octets one server's sessions hold in memory at once ({@link SmtpLimits#maxBufferedDataBytes()}): a
 * session reserves before it keeps more and releases when its message is handed on. A session that cannot reserve
 * reads its message to the end, keeps nothing more and answers 452 4.3.1, so concurrent large messages slow senders
 * down instead of exhausting the heap. Thread-safe, lock-free.
 */
final class DataBudget {
    private final long max;
    private final AtomicLong used = new AtomicLong();

    DataBudget(long max) {
        this.max = max;
    }

    boolean tryReserve(long n) {
        while (true) {
            long now = used.get();
            if (now + n > max) {
                return false;
            }
            if (used.compareAndSet(now, now + n)) {
                return true;
            }
        }
    }

    void release(long n) {
        used.addAndGet(-n);
    }

    long used() {
        return used.get();
    }
}
