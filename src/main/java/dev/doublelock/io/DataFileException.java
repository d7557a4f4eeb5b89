package dev.doublelock.io;

/**
 * A data file or database that is there but cannot be used: a 0-byte or corrupt SQLite file, a database
 * server that does not answer. The message is one line for the operator and says what to do; the file is
 * never touched (refusing beats overwriting the only copy of a queue).
 */
public final class DataFileException extends RuntimeException {
    public DataFileException(String message) {
        super(message);
    }

    public DataFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
