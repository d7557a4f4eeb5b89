package dev.doublelock.queue;

import java.sql.Connection;
import java.sql.SQLException;

/** The body of one transaction: runs on a connection with auto-commit off; the caller commits. */
@FunctionalInterface
interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
