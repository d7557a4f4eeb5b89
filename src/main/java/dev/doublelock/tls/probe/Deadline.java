package dev.doublelock.tls.probe;

import java.time.Duration;

/** A point in (monotonic) time after which a connection or a whole target probe gives up. */
record Deadline(long atNanos) {
    static Deadline in(Duration d) {
        return new Deadline(System.nanoTime() + d.toNanos());
    }

    long remainingMillis() {
        return Math.max(0, (atNanos - System.nanoTime()) / 1_000_000);
    }

    boolean expired() {
        return System.nanoTime() - atNanos >= 0;
    }

    /** The earlier of the two. */
    Deadline min(Deadline other) {
        return atNanos - other.atNanos <= 0 ? this : other;
    }
}
