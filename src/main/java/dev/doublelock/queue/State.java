package dev.doublelock.queue;

/**
 * Where a queued message is in its life. {@link #DELIVERED}, {@link #BOUNCED} and {@link #DELETED} are
 * final: nothing moves a message out of them.
 */
public enum State {
    /** Waiting for its first (or a manually requested) delivery run. */
    QUEUED,
    /** Claimed by a node under a lease; a delivery run is in progress. */
    DELIVERING,
    /** A delivery run failed temporarily; the next one is due at {@code nextAttemptAt}. */
    DEFERRED,
    /** Every recipient is done and at least one was delivered. */
    DELIVERED,
    /**
     * Put on hold by the operator (like Postfix's hold queue): never claimed, never retried, until released. Its
     * queue lifetime keeps running; a message released after it is bounced at its next run.
     */
    HELD,
    /** Given up: no recipient was delivered (or the operator or retry schedule gave up). */
    BOUNCED,
    /** Removed by the operator; the envelope and attempt history stay for the record, the bytes do not. */
    DELETED;

    /** True for the states nothing moves a message out of. */
    public boolean isFinal() {
        return this == DELIVERED || this == BOUNCED || this == DELETED;
    }
}
