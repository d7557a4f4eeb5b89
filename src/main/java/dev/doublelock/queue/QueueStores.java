package dev.doublelock.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Opens a {@link QueueStore} from what an operator writes in the configuration, and runs the schema
 * migrations before returning it:
 * <ul>
 *   <li>{@code jdbc:sqlite:/var/lib/doublelock/queue.db}, or a bare file path: an SQLite file (created,
 *       with its folder, if missing) — the default, for one relay node;</li>
 *   <li>{@code jdbc:postgresql://host:5432/db?user=…}: PostgreSQL, for several relay nodes sharing one
 *       queue;</li>
 *   <li>{@code null} or blank: {@value #DEFAULT_PATH} below the working directory.</li>
 * </ul>
 * An SQLite file that exists but is empty (0 bytes) or not an SQLite database is refused with a
 * {@link dev.doublelock.io.DataFileException} and left untouched.
 */
public final class QueueStores {

    /** Where the queue lives when nothing is configured. */
    public static final String DEFAULT_PATH = "doublelock-data/queue.db";

    private QueueStores() {
    }

    /** Opens the queue at {@code jdbcUrlOrPath} with the system clock. */
    public static QueueStore open(String jdbcUrlOrPath) {
        return open(jdbcUrlOrPath, Clock.systemUTC());
    }

    /** Opens the default SQLite queue, {@value #DEFAULT_PATH}. */
    public static QueueStore openDefault() {
        return open(null);
    }

    /**
     * Opens the queue at {@code jdbcUrlOrPath}; {@code clock} stamps enqueue times, lease renewals and
     * "retry now".
     */
    public static QueueStore open(String jdbcUrlOrPath, Clock clock) {
        String target = jdbcUrlOrPath == null || jdbcUrlOrPath.isBlank() ? DEFAULT_PATH : jdbcUrlOrPath.strip();
        if (target.startsWith("jdbc:postgresql:")) {
            requireDriver("org.postgresql.Driver", "PostgreSQL");
            return new JdbcQueueStore(new PostgresTransactions(target, PostgresTransactions.DEFAULT_SIZE),
                    Dialect.POSTGRES, clock);
        }
        if (target.startsWith("jdbc:") && !target.startsWith("jdbc:sqlite:")) {
            throw new QueueException("unsupported queue database " + target
                    + ": use jdbc:sqlite:FILE, a file path, or jdbc:postgresql://HOST:PORT/DB");
        }
        String file = target.startsWith("jdbc:sqlite:") ? target.substring("jdbc:sqlite:".length()) : target;
        if (file.isBlank() || file.startsWith(":memory:") || file.contains("mode=memory")) {
            throw new QueueException("the queue needs a file, not " + target
                    + ": an in-memory database would lose every message at exit");
        }
        requireDriver("org.sqlite.JDBC", "SQLite");
        // a 0-byte or foreign file would be silently turned into an empty queue: refuse, never overwrite
        dev.doublelock.io.SqliteFile.requireUsableIfPresent(dev.doublelock.io.SqliteFile.fileOf(file), "the relay's queue");
        createParent(file);
        return new JdbcQueueStore(new SqliteTransactions("jdbc:sqlite:" + absolute(file)), Dialect.SQLITE, clock);
    }

    /** A relative file name made absolute (so that what the relay prints can be pasted anywhere), options kept. */
    private static String absolute(String file) {
        if (file.startsWith("file:")) return file;
        int query = file.indexOf('?');
        String path = query < 0 ? file : file.substring(0, query);
        return Path.of(path).toAbsolutePath().normalize() + (query < 0 ? "" : file.substring(query));
    }

    private static void createParent(String file) {
        int query = file.indexOf('?');
        Path parent = Path.of(query < 0 ? file : file.substring(0, query)).toAbsolutePath().getParent();
        if (parent == null) {
            return;
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new QueueException("cannot create the queue folder " + parent + ": " + e.getMessage()
                    + " (choose a writable location for the queue)", e);
        }
    }

    private static void requireDriver(String className, String name) {
        try {
            Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new QueueException("the " + name + " JDBC driver (" + className + ") is missing from the class path;"
                    + " rebuild doublelock with its dependencies", e);
        }
    }
}
