package dev.doublelock.queue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The commit/rollback/retry loop shared by both backends. Subclasses say how to get and give back a
 * connection, how to begin and end a transaction, and which errors are worth another try.
 *
 * <p>A retry after a connection lost during COMMIT may repeat work that did commit: an enqueue may
 * then store the message twice. That is the safe side of "never lost" (at-least-once).
 */
abstract class JdbcTransactions implements Transactions {

    private static final int MAX_TRIES = 5;

    /** Takes a connection (auto-commit off) for exclusive use by the calling thread. */
    protected abstract Connection acquire() throws SQLException;

    /** Gives the connection back; {@code broken} means it must not be used again. */
    protected abstract void release(Connection connection, boolean broken);

    /** True for errors after which the same transaction may succeed if simply run again. */
    protected abstract boolean isTransient(SQLException e);

    /** Starts a transaction; by default nothing, as connections run with auto-commit off. */
    protected void begin(Connection connection) throws SQLException {
    }

    protected void commit(Connection connection) throws SQLException {
        connection.commit();
    }

    protected void rollback(Connection connection) throws SQLException {
        connection.rollback();
    }

    @Override
    public final <T> T inTransaction(String what, SqlWork<T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= MAX_TRIES; attempt++) {
            Connection connection;
            try {
                connection = acquire();
            } catch (SQLException e) {
                throw new QueueException("cannot get a database connection to " + describe() + " for " + what
                        + ": " + e.getMessage() + " (is the database reachable and the URL right?)", e);
            }
            boolean broken = false;
            try {
                begin(connection);
                T result = work.run(connection);
                commit(connection);
                return result;
            } catch (SQLException e) {
                rollbackQuietly(connection);
                broken = isBroken(connection);
                if (!isTransient(e)) {
                    throw new QueueException(what + " failed on " + describe() + ": " + e.getMessage(), e);
                }
                last = e;
            } catch (RuntimeException | Error e) {
                rollbackQuietly(connection);
                broken = isBroken(connection);
                throw e;
            } finally {
                release(connection, broken);
            }
            pause(attempt);
        }
        throw new QueueException(what + " failed on " + describe() + " after " + MAX_TRIES
                + " tries, the database stayed busy or unreachable: " + last.getMessage(), last);
    }

    private void rollbackQuietly(Connection connection) {
        try {
            rollback(connection);
        } catch (SQLException ignored) {
            // the connection is probably gone; isBroken() will tell
        }
    }

    private static boolean isBroken(Connection connection) {
        try {
            return connection.isClosed() || !connection.isValid(2);
        } catch (SQLException e) {
            return true;
        }
    }

    private static void pause(int attempt) {
        long millis = 20L * attempt * attempt + ThreadLocalRandom.current().nextLong(20);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueueException("interrupted while waiting to retry a database transaction", e);
        }
    }
}
