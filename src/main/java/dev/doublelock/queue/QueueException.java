package dev.doublelock.queue;

/** The queue's storage failed or was asked something impossible; the message says how to fix it. */
public final class QueueException extends RuntimeException {
    public QueueException(String message) {
        super(message);
    }

    public QueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
