package dev.doublelock.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The lab's session records in a database: an SQLite file under the data dir by default, or any JDBC URL
 * (PostgreSQL works too). One connection, serialised: the lab writes one row per session.
 */
public final class RecordStore implements AutoCloseable {
    private static final String COLUMNS = "session_id, started_at, ended_at, profile, port, client_address, ehlo_name, "
            + "starttls, tls_protocol, tls_cipher, sni, alert, quit_after_handshake, mail_from, rcpt_to, size, "
            + "message_id, subject, messages, injected_bytes, close_reason, verdict, body, message_ids";

    private final Connection connection;
    private final boolean sqlite;

    private RecordStore(Connection connection, boolean sqlite) {
        this.connection = connection;
        this.sqlite = sqlite;
    }

    /** The SQLite file the records live in by default: {@code DATA/lab.db}. */
    public static Path defaultFile(Path dataDir) {
        return dataDir.resolve("lab.db").toAbsolutePath();
    }

    /**
     * Opens (creating if needed) {@code DATA/lab.db}. An existing file that is empty or not an SQLite database is
     * refused ({@link dev.doublelock.io.DataFileException}) and left untouched.
     */
    public static RecordStore openDefault(Path dataDir) {
        dev.doublelock.io.SqliteFile.requireUsableIfPresent(defaultFile(dataDir), "the lab's records");
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the lab data directory " + dataDir + ": " + e.getMessage(), e);
        }
        return open("jdbc:sqlite:" + dataDir.resolve("lab.db").toAbsolutePath());
    }

    /**
     * Opens an existing SQLite record file read-only, for readers such as {@code lab results}: creates nothing,
     * changes nothing (no migrations). The caller checks that the file exists; a running lab may write meanwhile.
     */
    public static RecordStore openReadOnly(Path file) {
        Path abs = file.toAbsolutePath();
        dev.doublelock.io.SqliteFile.requireUsableIfPresent(abs, "the lab's records");
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5000);
        try {
            return new RecordStore(DriverManager.getConnection("jdbc:sqlite:" + abs, config.toProperties()), true);
        } catch (SQLException e) {
            throw new dev.doublelock.io.DataFileException("cannot read the lab's records " + abs + ": " + e.getMessage(), e);
        }
    }

    public static RecordStore open(String jdbcUrl) {
        try {
            Connection c = DriverManager.getConnection(jdbcUrl);
            boolean sqlite = jdbcUrl.startsWith("jdbc:sqlite:");
            RecordStore store = new RecordStore(c, sqlite);
            store.migrate();
            return store;
        } catch (SQLException e) {
            throw new dev.doublelock.io.DataFileException("cannot open the lab's record database " + jdbcUrl + ": " + e.getMessage()
                    + " (check the --db URL, or that the data directory is writable)", e);
        }
    }

    private void migrate() throws SQLException {
        try (Statement s = connection.createStatement()) {
            if (sqlite) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=5000");
            }
            String id = sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
            s.execute("CREATE TABLE IF NOT EXISTS lab_sessions (id " + id + ", session_id TEXT NOT NULL, "
                    + "started_at TIMESTAMP NOT NULL, ended_at TIMESTAMP NOT NULL, profile TEXT NOT NULL, port INTEGER, "
                    + "client_address TEXT, ehlo_name TEXT, starttls TEXT, tls_protocol TEXT, tls_cipher TEXT, sni TEXT, "
                    + "alert TEXT, quit_after_handshake BOOLEAN, mail_from TEXT, rcpt_to TEXT, size BIGINT, "
                    + "message_id TEXT, subject TEXT, messages INTEGER, injected_bytes INTEGER, close_reason TEXT, "
                    + "verdict TEXT NOT NULL, body " + (sqlite ? "BLOB" : "BYTEA") + ")");
            addColumnIfMissing(s, "message_ids", "TEXT");
            s.execute("CREATE INDEX IF NOT EXISTS lab_sessions_sender ON lab_sessions (profile, client_address, ehlo_name)");
            s.execute("CREATE TABLE IF NOT EXISTS lab_tls_reports (id " + id + ", received_at TIMESTAMP NOT NULL, "
                    + "via TEXT NOT NULL, client_address TEXT, organization TEXT NOT NULL, report_id TEXT NOT NULL, "
                    + "report_json TEXT NOT NULL, UNIQUE (organization, report_id))");
        }
    }

    /**
     * Stores a TLS report received by mail or HTTPS; a report with an organization and report-id already stored is
     * a duplicate (RFC 8460 §5.3: the Report-ID lets receivers drop them) and is not stored again.
     *
     * @return true if it was new
     */
    public synchronized boolean insertTlsReport(TlsReportRecord r) {
        String sql = "INSERT INTO lab_tls_reports (received_at, via, client_address, organization, report_id, report_json) "
                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (organization, report_id) DO NOTHING";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(r.receivedAt()));
            ps.setString(2, r.via().name());
            ps.setString(3, r.clientAddress());
            ps.setString(4, r.report().organization());
            ps.setString(5, r.report().reportId());
            ps.setString(6, r.report().json().toString());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store a TLS report: " + e.getMessage(), e);
        }
    }

    /** The TLS reports received, oldest first. */
    public synchronized List<TlsReportRecord> tlsReports() {
        List<TlsReportRecord> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT id, received_at, via, client_address, report_json "
                + "FROM lab_tls_reports ORDER BY id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                try {
                    out.add(new TlsReportRecord(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                            TlsReportRecord.Via.valueOf(rs.getString(3)), rs.getString(4),
                            dev.doublelock.tlsrpt.ReceivedReport.fromBody("application/tlsrpt+json",
                                    rs.getString(5).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
                } catch (dev.doublelock.tlsrpt.ReceivedReport.InvalidReportException e) {
                    throw new IllegalStateException("stored TLS report " + rs.getLong(1) + " no longer reads: " + e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("no such table")) {
                return out; // a read-only lab.db from before TLS reports
            }
            throw new IllegalStateException("cannot read TLS reports: " + e.getMessage(), e);
        }
        return out;
    }

    /** Upgrades a lab.db made by an older version in place. */
    private void addColumnIfMissing(Statement s, String column, String type) throws SQLException {
        try (ResultSet rs = connection.getMetaData().getColumns(null, null, "lab_sessions", column)) {
            if (rs.next()) return;
        }
        s.execute("ALTER TABLE lab_sessions ADD COLUMN " + column + " " + type);
    }

    /** Stores a record; returns it with its database id. */
    public synchronized SessionRecord insert(SessionRecord r) {
        String sql = "INSERT INTO lab_sessions (" + COLUMNS + ") VALUES ("
                + String.join(",", java.util.Collections.nCopies(COLUMNS.split(",").length, "?")) + ")";
        try (PreparedStatement ps = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            int i = 1;
            ps.setString(i++, r.sessionId());
            ps.setTimestamp(i++, Timestamp.from(r.startedAt()));
            ps.setTimestamp(i++, Timestamp.from(r.endedAt()));
            ps.setString(i++, r.profile());
            ps.setInt(i++, r.port());
            ps.setString(i++, r.clientAddress());
            ps.setString(i++, r.ehloName());
            ps.setString(i++, r.startTls());
            ps.setString(i++, r.tlsProtocol());
            ps.setString(i++, r.tlsCipher());
            ps.setString(i++, r.sni());
            ps.setString(i++, r.alert());
            ps.setBoolean(i++, r.quitAfterHandshake());
            ps.setString(i++, r.mailFrom());
            ps.setString(i++, String.join(",", r.rcptTo()));
            ps.setLong(i++, r.size());
            ps.setString(i++, r.messageId());
            ps.setString(i++, r.subject());
            ps.setInt(i++, r.messages());
            ps.setInt(i++, r.injectedBytes());
            ps.setString(i++, r.closeReason());
            ps.setString(i++, r.verdict().name());
            ps.setBytes(i++, r.body());
            ps.setString(i, String.join(" ", r.messageIds()));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                long id = keys.next() ? keys.getLong(1) : -1;
                return r.withIdAndVerdict(id, r.verdict());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store a lab session record: " + e.getMessage(), e);
        }
    }

    /** True if this sender had a failed or refused STARTTLS with this profile before {@code before}. */
    public synchronized boolean hadRefusedTls(String profile, String clientAddress, String ehloName, Instant before) {
        String sql = "SELECT 1 FROM lab_sessions WHERE profile = ? AND client_address = ? AND ehlo_name = ? "
                + "AND starttls IN ('failed', 'refused-454') AND started_at <= ? LIMIT 1";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, profile);
            ps.setString(2, clientAddress);
            ps.setString(3, ehloName == null ? "" : ehloName);
            ps.setTimestamp(4, Timestamp.from(before));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot query lab records: " + e.getMessage(), e);
        }
    }

    /** All sessions, oldest first, optionally only those with an id above {@code afterId}. */
    public synchronized List<SessionRecord> all(long afterId) {
        String sql = "SELECT id, " + COLUMNS + " FROM lab_sessions WHERE id > ? ORDER BY id";
        List<SessionRecord> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, afterId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read lab records: " + e.getMessage(), e);
        }
        return out;
    }

    private static SessionRecord read(ResultSet rs) throws SQLException {
        String rcpt = rs.getString("rcpt_to");
        return new SessionRecord(rs.getLong("id"), rs.getString("session_id"),
                rs.getTimestamp("started_at").toInstant(), rs.getTimestamp("ended_at").toInstant(),
                rs.getString("profile"), rs.getInt("port"), rs.getString("client_address"), rs.getString("ehlo_name"),
                rs.getString("starttls"), rs.getString("tls_protocol"), rs.getString("tls_cipher"), rs.getString("sni"),
                rs.getString("alert"), rs.getBoolean("quit_after_handshake"), rs.getString("mail_from"),
                rcpt == null || rcpt.isEmpty() ? List.of() : Arrays.asList(rcpt.split(",")),
                rs.getLong("size"), rs.getString("message_id"), rs.getString("subject"), rs.getInt("messages"),
                rs.getInt("injected_bytes"), rs.getString("close_reason"), Verdict.valueOf(rs.getString("verdict")),
                rs.getBytes("body"), ids(rs.getString("message_ids")));
    }

    private static List<String> ids(String column) {
        return column == null || column.isBlank() ? List.of() : Arrays.asList(column.trim().split(" +"));
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing: nothing left to do
        }
    }
}
