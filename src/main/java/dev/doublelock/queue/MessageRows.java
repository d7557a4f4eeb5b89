package dev.doublelock.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads queue rows back into {@link QueuedMessage} and {@link Attempt} values, a batch at a time. */
final class MessageRows {

    private static final int CHUNK = 400;
    private static final String MESSAGE_COLUMNS = "id, message_id, mail_from, size, queued_at, state, attempts, "
            + "next_attempt_at, claimed_by, lease_until, reason, delay_notice_sent_at";

    private MessageRows() {
    }

    /** The messages with these ids, in the order given; ids without a row are left out. */
    static List<QueuedMessage> load(Connection c, List<Long> ids) throws SQLException {
        List<QueuedMessage> out = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += CHUNK) {
            out.addAll(loadChunk(c, ids.subList(from, Math.min(ids.size(), from + CHUNK))));
        }
        return out;
    }

    private static List<QueuedMessage> loadChunk(Connection c, List<Long> ids) throws SQLException {
        String in = "(" + String.join(",", java.util.Collections.nCopies(ids.size(), "?")) + ")";
        Map<Long, Map<String, RecipientState>> recipients = new HashMap<>();
        Map<Long, Map<String, String>> reasons = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT msg, address, status, reason FROM recipient WHERE msg IN " + in + " ORDER BY msg, idx")) {
            bind(p, ids);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    recipients.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), RecipientState.valueOf(rs.getString(3)));
                    if (rs.getString(4) != null) {
                        reasons.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>())
                                .put(rs.getString(2), rs.getString(4));
                    }
                }
            }
        }
        Map<Long, Map<String, String>> params = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT msg, name, value FROM envelope_param WHERE msg IN " + in)) {
            bind(p, ids);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    params.computeIfAbsent(rs.getLong(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        Map<Long, QueuedMessage> byId = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT " + MESSAGE_COLUMNS + " FROM message WHERE id IN " + in)) {
            bind(p, ids);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    Map<String, RecipientState> rcpts = recipients.getOrDefault(id, Map.of());
                    Envelope envelope = new Envelope(rs.getString(3), List.copyOf(rcpts.keySet()),
                            params.getOrDefault(id, Map.of()));
                    byId.put(id, new QueuedMessage(id, rs.getString(2), envelope, rs.getLong(4),
                            instant(rs, 5), State.valueOf(rs.getString(6)), rs.getInt(7), instant(rs, 8), rcpts,
                            rs.getString(9), instant(rs, 10), rs.getString(11), instant(rs, 12),
                            reasons.getOrDefault(id, Map.of())));
                }
            }
        }
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    /** The attempts of one message, oldest (first recorded) first. */
    static List<Attempt> attempts(Connection c, long id) throws SQLException {
        List<Attempt> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT at, mx_host, ip, tls_protocol, tls_cipher, "
                + "policy_verdict, finding_codes, findings_text, reply_code, enhanced, reply_text, duration_ms, outcome, "
                + "domain, refusal_codes, would_refuse FROM attempt WHERE msg = ? ORDER BY id")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String codes = rs.getString(7);
                    out.add(new Attempt(instant(rs, 1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6),
                            codes(codes), rs.getString(8), rs.getInt(9), rs.getString(10), rs.getString(11),
                            Duration.ofMillis(rs.getLong(12)), rs.getString(13), rs.getString(14),
                            codes(rs.getString(15)), rs.getInt(16) != 0));
                }
            }
        }
        return out;
    }

    /** A comma-joined list of finding codes as stored ({@code ""} or {@code NULL} for none). */
    static List<String> codes(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    private static void bind(PreparedStatement p, List<Long> ids) throws SQLException {
        for (int i = 0; i < ids.size(); i++) {
            p.setLong(i + 1, ids.get(i));
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
