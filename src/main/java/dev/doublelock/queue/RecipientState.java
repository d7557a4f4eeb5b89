package dev.doublelock.queue;

/** Delivery status of one envelope recipient, so a partly delivered message retries only the rest. */
public enum RecipientState {
    /** Not yet delivered; the next delivery run tries it. */
    PENDING,
    /** The receiving server accepted it (2xx after DATA). */
    DELIVERED,
    /** Permanently refused or given up; a DSN names it. */
    FAILED
}
