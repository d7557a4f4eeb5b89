package dev.doublelock.queue;

/**
 * Runs units of work as database transactions: commit on success, rollback on any exception,
 * a few retries when the database reports a transient conflict (busy file, deadlock, lost connection).
 */
interface Transactions extends AutoCloseable {

    /** Runs {@code work} in one transaction and returns its result after the commit. */
    <T> T inTransaction(String what, SqlWork<T> work);

    /** Where the data lives, for logs and error messages. */
    String describe();

    @Override
    void close();
}
