package dev.doublelock.relay.intake;

import java.time.Duration;

/** Waits; the seam through which tests observe the failed-AUTH delay without timing assertions. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    /** {@link Thread#sleep(Duration)}. */
    Sleeper SYSTEM = Thread::sleep;
}
