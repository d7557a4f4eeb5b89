package dev.doublelock.queue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small fixed-size pool of PostgreSQL connections (a dozen lines of locking; a pool library would
 * not earn its dependency here). Connections run READ COMMITTED with {@code synchronous_commit=on},
 * so a commit has reached the server's WAL on disk when it returns. Broken connections are dropped
 * and replaced on demand.
 */
final class PostgresTransactions extends JdbcTransactions {

    static final int DEFAULT_SIZE = 4;
    private static final long BORROW_TIMEOUT_SECONDS = 30;

    private final String url;
    private final int size;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition returned = lock.newCondition();
    private final Deque<Connection> idle = new ArrayDeque<>();
    private int open;
    private boolean closed;

    PostgresTransactions(String url, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be at least 1: " + size);
        }
        this.url = url;
        this.size = size;
        release(newConnectionOrFail(), false); // fail fast on a wrong URL, and warm one connection
    }

    private Connection newConnectionOrFail() {
        lock.lock();
        try {
            open++;
        } finally {
            lock.unlock();
        }
        try {
            return newConnection();
        } catch (SQLException e) {
            forget();
            throw new QueueException("cannot connect to the PostgreSQL queue " + describe() + ": " + e.getMessage()
                    + " (is the server running, and are host, port, database and user in the URL right?)", e);
        }
    }

    private Connection newConnection() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        try (Statement s = c.createStatement()) {
            s.execute("SET synchronous_commit = on");
        }
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        c.setAutoCommit(false);
        return c;
    }

    @Override
    protected Connection acquire() throws SQLException {
        lock.lock();
        try {
            long waitNanos = TimeUnit.SECONDS.toNanos(BORROW_TIMEOUT_SECONDS);
            while (true) {
                if (closed) {
                    throw new SQLException("the queue store is closed");
                }
                if (!idle.isEmpty()) {
                    return idle.pop();
                }
                if (open < size) {
                    open++;
                    break;
                }
                if (waitNanos <= 0) {
                    throw new SQLException("all " + size + " pooled connections stayed busy for "
                            + BORROW_TIMEOUT_SECONDS + " s");
                }
                waitNanos = returned.awaitNanos(waitNanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a pooled connection", e);
        } finally {
            lock.unlock();
        }
        try {
            return newConnection(); // outside the lock: connecting may take a while
        } catch (SQLException | RuntimeException e) {
            forget();
            throw e;
        }
    }

    @Override
    protected void release(Connection connection, boolean broken) {
        lock.lock();
        try {
            if (broken || closed) {
                open--;
                closeQuietly(connection);
            } else {
                idle.push(connection);
            }
            returned.signal();
        } finally {
            lock.unlock();
        }
    }

    private void forget() {
        lock.lock();
        try {
            open--;
            returned.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    protected boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.equals("40001") || state.equals("40P01") || state.startsWith("08"));
    }

    @Override
    public String describe() {
        int query = url.indexOf('?');
        return (query < 0 ? url : url.substring(0, query)).substring("jdbc:".length()); // no password in logs
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            while (!idle.isEmpty()) {
                open--;
                closeQuietly(idle.pop());
            }
            returned.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // dropped either way
        }
    }
}
