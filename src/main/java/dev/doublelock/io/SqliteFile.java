package dev.doublelock.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Checks an SQLite file before anyone opens it. SQLite treats a 0-byte file as an empty database and would
 * write a fresh schema into it, and reports a foreign file only at the first query: both would hide that the
 * operator's queue or records are gone. Here both are refused with what to do, and the file is left as it is.
 * The header is the 16 bytes {@code "SQLite format 3\0"} (SQLite file format, section 1.3.1).
 */
public final class SqliteFile {
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private SqliteFile() {
    }

    /**
     * Throws {@link DataFileException} if {@code file} exists but is empty or not an SQLite database;
     * returns quietly if it is absent (the caller decides whether to create it) or looks sound.
     *
     * @param what what the file holds, for the message ("the relay's queue", "the lab's records")
     */
    public static void requireUsableIfPresent(Path file, String what) {
        Path abs = file.toAbsolutePath();
        if (!Files.exists(abs)) return;
        if (Files.isDirectory(abs)) {
            throw new DataFileException(abs + " is a directory, not " + what + " (an SQLite file); give the file's path");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(abs)) {
            head = in.readNBytes(MAGIC.length);
        } catch (IOException e) {
            throw new DataFileException("cannot read " + what + " at " + abs + ": " + e.getMessage()
                    + " (check its owner and permissions)", e);
        }
        if (head.length == 0) {
            throw new DataFileException(abs + " is empty (0 bytes), not " + what + "; it was left untouched: restore it from a "
                    + "backup, or move it away to start with an empty one");
        }
        if (!Arrays.equals(head, MAGIC)) {
            throw new DataFileException(abs + " is not an SQLite database (corrupt or a foreign file), so it cannot be "
                    + what + "; it was left untouched: restore it from a backup, or move it away to start with an empty one");
        }
    }

    /** The file part of an SQLite location: {@code jdbc:sqlite:FILE?opts} or a bare path, without options. */
    public static Path fileOf(String jdbcUrlOrPath) {
        String s = jdbcUrlOrPath.startsWith("jdbc:sqlite:") ? jdbcUrlOrPath.substring("jdbc:sqlite:".length()) : jdbcUrlOrPath;
        if (s.startsWith("file:")) s = s.substring("file:".length());
        int query = s.indexOf('?');
        return Path.of(query < 0 ? s : s.substring(0, query));
    }
}
