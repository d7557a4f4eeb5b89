package dev.doublelock.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/** Writes a new queue entry — message row with its bytes, recipients, parameters — inside the caller's transaction. */
final class NewMessage {

    private NewMessage() {
    }

    /** Inserts the message as QUEUED and due at {@code nowMillis}; returns its id. */
    static long insert(Connection c, Envelope envelope, byte[] bytes, String messageId, long nowMillis)
            throws SQLException {
        long id;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO message (message_id, mail_from, size, body, "
                + "queued_at, state, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, 'QUEUED', 0, ?)",
                new String[] {"id"})) {
            p.setString(1, messageId);
            p.setString(2, envelope.mailFrom());
            p.setLong(3, bytes.length);
            p.setBytes(4, bytes);
            p.setLong(5, nowMillis);
            p.setLong(6, nowMillis);
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database returned no id for the new message");
                }
                id = keys.getLong(1);
            }
        }
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO recipient (msg, idx, address, status) VALUES (?, ?, ?, 'PENDING')")) {
            for (int i = 0; i < envelope.recipients().size(); i++) {
                Sql.bind(p, id, i, envelope.recipients().get(i));
                p.addBatch();
            }
            p.executeBatch();
        }
        if (!envelope.params().isEmpty()) {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO envelope_param (msg, name, value) VALUES (?, ?, ?)")) {
                for (Map.Entry<String, String> e : envelope.params().entrySet()) {
                    Sql.bind(p, id, e.getKey(), e.getValue());
                    p.addBatch();
                }
                p.executeBatch();
            }
        }
        return id;
    }
}
