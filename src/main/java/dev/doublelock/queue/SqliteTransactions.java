package dev.doublelock.queue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * One SQLite connection per store, used by one thread at a time. Every transaction is
 * {@code BEGIN IMMEDIATE}: it takes the file's write lock up front, so store instances in other
 * threads or processes wait (up to the busy timeout) instead of failing half-way. The journal is
 * WAL with {@code synchronous=FULL}: a commit is on disk when it returns.
 *
 * <p>Checkpoints (copying the WAL back into the database file, with its own sync) run on a background
 * thread with a second connection, {@code PASSIVE}, every {@link #CHECKPOINT_INTERVAL_MILLIS}: SQLite's
 * automatic checkpoint would run inside whichever commit crossed the threshold and stall every session
 * waiting for the queue meanwhile. The automatic one stays as a backstop at a larger size.
 *
 * <p>The connection stays in JDBC auto-commit mode and transactions are begun and ended with SQL:
 * the driver's own transaction handling would begin the next transaction right after each commit and
 * so hold the file's write lock while idle, locking every other instance out.
 */
final class SqliteTransactions extends JdbcTransactions {

    static final int BUSY_TIMEOUT_MILLIS = 15_000;
    static final long CHECKPOINT_INTERVAL_MILLIS = 500;
    /** Pages in the WAL at which a commit checkpoints by itself (SQLite's default is 1,000). */
    static final int AUTO_CHECKPOINT_PAGES = 20_000;

    private final String url;
    private final ReentrantLock lock = new ReentrantLock();
    private Connection connection;
    private volatile boolean closed;
    private final Thread checkpointer;

    SqliteTransactions(String url) {
        this.url = url;
        try {
            this.connection = open();
        } catch (SQLException e) {
            throw new QueueException("cannot open the SQLite queue " + url + ": " + e.getMessage()
                    + " (does the folder exist and is it writable?)", e);
        }
        this.checkpointer = Thread.ofPlatform().daemon().name("sqlite-checkpoint").start(this::checkpointLoop);
    }

    private void checkpointLoop() {
        Connection c = null;
        while (!closed) {
            try {
                Thread.sleep(CHECKPOINT_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                break;
            }
            try {
                if (c == null || c.isClosed()) {
                    c = open();
                }
                run(c, "PRAGMA wal_checkpoint(PASSIVE)");
            } catch (SQLException e) {
                // busy or a broken connection: the next round (or the automatic checkpoint) catches up
                if (c != null) {
                    closeQuietly(c);
                }
                c = null;
            }
        }
        if (c != null) {
            closeQuietly(c);
        }
    }

    private Connection open() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        Connection c = DriverManager.getConnection(url, config.toProperties());
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            String mode = rs.next() ? rs.getString(1) : "?";
            if (!"wal".equalsIgnoreCase(mode)) {
                c.close();
                throw new SQLException("journal_mode is " + mode + ", not wal; put the queue on a local file system");
            }
            s.execute("PRAGMA wal_autocheckpoint=" + AUTO_CHECKPOINT_PAGES);
        }
        return c;
    }

    @Override
    protected Connection acquire() throws SQLException {
        lock.lock();
        try {
            if (closed) {
                throw new SQLException("the queue store is closed");
            }
            if (connection == null || connection.isClosed()) {
                connection = open();
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }

    @Override
    protected void release(Connection c, boolean broken) {
        try {
            if (broken) {
                closeQuietly(c);
                connection = null;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    protected void begin(Connection c) throws SQLException {
        run(c, "BEGIN IMMEDIATE");
    }

    @Override
    protected void commit(Connection c) throws SQLException {
        run(c, "COMMIT");
    }

    @Override
    protected void rollback(Connection c) throws SQLException {
        run(c, "ROLLBACK");
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    protected boolean isTransient(SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        return primary == 5 /* SQLITE_BUSY */ || primary == 6 /* SQLITE_LOCKED */;
    }

    @Override
    public String describe() {
        return url.substring("jdbc:".length());
    }

    @Override
    public void close() {
        closed = true;
        checkpointer.interrupt();
        try {
            checkpointer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            if (connection != null) {
                closeQuietly(connection);
                connection = null;
            }
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing left to do with a connection that will not close
        }
    }
}
