package dev.doublelock.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a database's schema up to date on open. Scripts are resources named
 * {@code migrations/<dialect>/001.sql}, {@code 002.sql}, … (numbered without gaps, first line a
 * {@code --} comment describing it); table {@code schema_version} records which ran. All pending
 * scripts run in one transaction under a lock, so opening twice, or two nodes starting at once,
 * applies each script exactly once.
 */
final class Migrations {

    private static final String ROOT = "/dev/doublelock/queue/migrations/";

    private Migrations() {
    }

    /** One numbered script. */
    record Script(int version, String description, String sql) {
    }

    /** Applies what is missing and returns the schema version now in the database. */
    static int migrate(Transactions transactions, Dialect dialect, long nowMillis) {
        List<Script> scripts = scripts(dialect);
        int latest = scripts.isEmpty() ? 0 : scripts.getLast().version();
        return transactions.inTransaction("schema migration", c -> {
            try (Statement s = c.createStatement()) {
                if (dialect.migrationLock() != null) {
                    s.execute(dialect.migrationLock());
                }
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                        + "description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            }
            int current = currentVersion(c);
            if (current > latest) {
                throw new QueueException("the queue database " + transactions.describe() + " has schema version "
                        + current + " but this doublelock knows only up to " + latest
                        + "; run the newer doublelock that wrote it, or point the relay at another queue");
            }
            for (Script script : scripts) {
                if (script.version() > current) {
                    apply(c, script, nowMillis);
                }
            }
            return latest;
        });
    }

    private static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void apply(Connection c, Script script, long nowMillis) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String statement : statements(script.sql())) {
                s.execute(statement);
            }
        }
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
            p.setInt(1, script.version());
            p.setString(2, script.description());
            p.setLong(3, nowMillis);
            p.executeUpdate();
        }
    }

    /** The dialect's scripts in order: 001, 002, … up to the first number without a resource. */
    static List<Script> scripts(Dialect dialect) {
        List<Script> scripts = new ArrayList<>();
        for (int version = 1; ; version++) {
            String name = ROOT + dialect.migrationDir() + "/" + String.format("%03d.sql", version);
            try (InputStream in = Migrations.class.getResourceAsStream(name)) {
                if (in == null) {
                    return scripts;
                }
                String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String first = sql.lines().findFirst().orElse("");
                String description = first.startsWith("--") ? first.substring(2).strip() : "migration " + version;
                scripts.add(new Script(version, description, sql));
            } catch (IOException e) {
                throw new QueueException("cannot read the migration script " + name + " from the jar: " + e.getMessage(), e);
            }
        }
    }

    /** Splits a script at semicolons that end a line; {@code --} comment lines are dropped. */
    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                out.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
