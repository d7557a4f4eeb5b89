package dev.doublelock.queue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link QueueStore} on any JDBC database with a {@link Dialect}: the message bytes live in the same
 * row as the envelope, so one commit makes both durable. Times are stored as epoch milliseconds.
 */
final class JdbcQueueStore implements QueueStore {

    private static final String DUE = "(state IN ('QUEUED', 'DEFERRED') AND next_attempt_at <= ?)"
            + " OR (state = 'DELIVERING' AND lease_until <= ?)";

    private final Transactions tx;
    private final Dialect dialect;
    private final Clock clock;
    private final int schemaVersion;
    private final GroupCommit intake;
    private final JdbcStsCache stsCache;

    JdbcQueueStore(Transactions tx, Dialect dialect, Clock clock) {
        this.tx = tx;
        this.dialect = dialect;
        this.clock = clock;
        try {
            this.schemaVersion = Migrations.migrate(tx, dialect, clock.millis());
        } catch (RuntimeException e) {
            tx.close();
            throw e;
        }
        this.intake = new GroupCommit(tx, clock, tx.describe());
        this.stsCache = new JdbcStsCache(tx);
    }

    /** The group commit behind {@link #enqueue} (for tests). */
    GroupCommit intake() {
        return intake;
    }

    /** The schema version the database has after the migrations run on open. */
    int schemaVersion() {
        return schemaVersion;
    }

    @Override
    public long enqueue(Envelope envelope, byte[] messageBytes) {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(messageBytes, "messageBytes");
        String messageId = MessageIdHeader.find(messageBytes);
        return intake.enqueue(envelope, messageBytes, messageId);
    }

    @Override
    public byte[] messageBytes(long id) {
        return tx.inTransaction("read message " + id, c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT state, body FROM message WHERE id = ?")) {
                p.setLong(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        throw unknown(id);
                    }
                    byte[] body = rs.getBytes(2);
                    if (body == null) {
                        throw new QueueException("message " + id + " is " + rs.getString(1)
                                + " and its bytes were discarded");
                    }
                    return body;
                }
            }
        });
    }

    @Override
    public InputStream openMessage(long id) {
        return new ByteArrayInputStream(messageBytes(id));
    }

    @Override
    public List<QueuedMessage> claimDue(String nodeId, Instant now, int max, Duration lease) {
        requireNodeId(nodeId);
        requirePositive(lease);
        if (max < 1) {
            return List.of();
        }
        long nowMillis = now.toEpochMilli();
        long until = now.plus(lease).toEpochMilli();
        return tx.inTransaction("claim due messages", c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT id FROM message WHERE " + DUE
                    + " ORDER BY next_attempt_at, id LIMIT ?" + dialect.skipLocked())) {
                p.setLong(1, nowMillis);
                p.setLong(2, nowMillis);
                p.setInt(3, max);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            if (ids.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE message SET state = 'DELIVERING', claimed_by = ?, "
                    + "lease_until = ?, attempts = attempts + 1 WHERE id = ?")) {
                for (long id : ids) {
                    p.setString(1, nodeId);
                    p.setLong(2, until);
                    p.setLong(3, id);
                    p.addBatch();
                }
                p.executeBatch();
            }
            return MessageRows.load(c, ids);
        });
    }

    @Override
    public boolean renewLease(long id, String nodeId, Duration lease) {
        requireNodeId(nodeId);
        requirePositive(lease);
        long until = clock.instant().plus(lease).toEpochMilli();
        return update("renew lease of message " + id, id, "UPDATE message SET lease_until = ? "
                + "WHERE id = ? AND state = 'DELIVERING' AND claimed_by = ?", until, id, nodeId) > 0;
    }

    @Override
    public void recordAttempt(long id, Attempt a) {
        recordAttempt(id, a, null);
    }

    @Override
    public void recordAttempt(long id, Attempt a, dev.doublelock.tlsrpt.SessionResult tlsResult) {
        Objects.requireNonNull(a, "attempt");
        tx.inTransaction("record attempt for message " + id, c -> {
            lockState(c, id);
            if (tlsResult != null) {
                TlsReportRows.count(c, tlsResult);
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO attempt (msg, at, mx_host, ip, tls_protocol, "
                    + "tls_cipher, policy_verdict, finding_codes, findings_text, reply_code, enhanced, reply_text, "
                    + "duration_ms, outcome, domain, refusal_codes, would_refuse) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                Sql.bind(p, id, a.at().toEpochMilli(), a.mxHost(), a.ip(), a.tlsProtocol(), a.tlsCipher(),
                        a.policyVerdict(), String.join(",", a.findingCodes()), a.findingsText(), a.replyCode(),
                        a.enhanced(), a.replyText(), a.duration().toMillis(), a.outcome(),
                        a.domain() == null ? null : a.domain().toLowerCase(java.util.Locale.ROOT),
                        a.refusalCodes().isEmpty() ? null : String.join(",", a.refusalCodes()), a.wouldRefuse() ? 1 : 0);
                p.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public State markDelivered(long id, Map<String, RecipientState> outcomes) {
        Map<String, RecipientState> given = Map.copyOf(outcomes);
        return tx.inTransaction("mark message " + id + " delivered", c -> {
            State state = lockState(c, id);
            if (state.isFinal()) {
                return state;
            }
            QueuedMessage m = MessageRows.load(c, List.of(id)).getFirst();
            for (String address : given.keySet()) {
                if (!m.recipients().containsKey(address)) {
                    throw new QueueException("message " + id + " has no recipient " + address
                            + "; its recipients are " + m.recipients().keySet());
                }
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE recipient SET status = ? WHERE msg = ? AND address = ?")) {
                for (Map.Entry<String, RecipientState> e : given.entrySet()) {
                    Sql.bind(p, e.getValue().name(), id, e.getKey());
                    p.addBatch();
                }
                p.executeBatch();
            }
            Map<String, RecipientState> now = new java.util.HashMap<>(m.recipients());
            now.putAll(given);
            if (now.containsValue(RecipientState.PENDING)) {
                return state;
            }
            State done = now.containsValue(RecipientState.DELIVERED) ? State.DELIVERED : State.BOUNCED;
            Sql.execute(c, "UPDATE message SET state = ?, claimed_by = NULL, lease_until = NULL WHERE id = ?",
                    done.name(), id);
            return done;
        });
    }

    @Override
    public void noteReasons(long id, Map<String, String> reasons) {
        Map<String, String> given = Map.copyOf(reasons);
        if (given.isEmpty()) {
            return;
        }
        tx.inTransaction("note reasons of message " + id, c -> {
            lockState(c, id);
            try (PreparedStatement p = c.prepareStatement("UPDATE recipient SET reason = ? WHERE msg = ? AND address = ?")) {
                for (Map.Entry<String, String> e : given.entrySet()) {
                    Sql.bind(p, e.getValue(), id, e.getKey());
                    p.addBatch();
                }
                int[] counts = p.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 0) {
                        throw new QueueException("message " + id + " has no recipient "
                                + List.copyOf(given.keySet()).get(i));
                    }
                }
            }
            return null;
        });
    }

    @Override
    public boolean defer(long id, Instant next, String reason) {
        return update("defer message " + id, id, "UPDATE message SET state = 'DEFERRED', next_attempt_at = ?, "
                + "reason = ?, claimed_by = NULL, lease_until = NULL "
                + "WHERE id = ? AND state IN ('QUEUED', 'DEFERRED', 'DELIVERING')", next.toEpochMilli(), reason, id) > 0;
    }

    @Override
    public boolean bounce(long id, String reason) {
        return tx.inTransaction("bounce message " + id, c -> {
            if (lockState(c, id).isFinal()) {
                return false;
            }
            Sql.execute(c, "UPDATE recipient SET status = 'FAILED' WHERE msg = ? AND status = 'PENDING'", id);
            Sql.execute(c, "UPDATE message SET state = 'BOUNCED', reason = ?, claimed_by = NULL, lease_until = NULL "
                    + "WHERE id = ?", reason, id);
            return true;
        });
    }

    @Override
    public boolean delete(long id) {
        return update("delete message " + id, id, "UPDATE message SET state = 'DELETED', body = NULL, "
                + "claimed_by = NULL, lease_until = NULL WHERE id = ? AND state <> 'DELETED'", id) > 0;
    }

    @Override
    public boolean retryNow(long id) {
        return update("retry message " + id, id, "UPDATE message SET state = 'QUEUED', next_attempt_at = ? "
                + "WHERE id = ? AND state IN ('QUEUED', 'DEFERRED')", clock.millis(), id) > 0;
    }

    @Override
    public boolean hold(long id) {
        return update("hold message " + id, id, "UPDATE message SET state = 'HELD' "
                + "WHERE id = ? AND state IN ('QUEUED', 'DEFERRED')", id) > 0;
    }

    @Override
    public boolean release(long id) {
        return update("release message " + id, id, "UPDATE message SET state = 'QUEUED', next_attempt_at = ? "
                + "WHERE id = ? AND state = 'HELD'", clock.millis(), id) > 0;
    }

    @Override
    public int flush() {
        long now = clock.millis();
        return tx.inTransaction("flush the queue", c -> Sql.execute(c, "UPDATE message SET state = 'QUEUED', "
                + "next_attempt_at = CASE WHEN next_attempt_at > ? THEN ? ELSE next_attempt_at END "
                + "WHERE state IN ('QUEUED', 'DEFERRED')", now, now));
    }

    @Override
    public boolean markDelayNoticeSent(long id, Instant at) {
        return update("mark delay notice of message " + id, id, "UPDATE message SET delay_notice_sent_at = ? "
                + "WHERE id = ? AND delay_notice_sent_at IS NULL", at.toEpochMilli(), id) > 0;
    }

    @Override
    public int recoverExpiredLeases(Instant now) {
        return tx.inTransaction("recover expired leases", c -> Sql.execute(c, "UPDATE message SET state = 'QUEUED', "
                + "claimed_by = NULL, lease_until = NULL WHERE state = 'DELIVERING' AND lease_until <= ?",
                now.toEpochMilli()));
    }

    @Override
    public Optional<QueuedMessage> find(long id) {
        return tx.inTransaction("find message " + id,
                c -> MessageRows.load(c, List.of(id)).stream().findFirst());
    }

    @Override
    public List<Attempt> attempts(long id) {
        return tx.inTransaction("read attempts of message " + id, c -> {
            lockState(c, id);
            return MessageRows.attempts(c, id);
        });
    }

    @Override
    public List<QueuedMessage> list(Set<State> states, int limit) {
        return list(states, 0, limit);
    }

    @Override
    public List<QueuedMessage> list(Set<State> states, long afterId, int limit) {
        Set<State> wanted = states == null || states.isEmpty() ? Set.of(State.values()) : states;
        String in = wanted.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", ", "(", ")"));
        return tx.inTransaction("list messages", c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT id FROM message WHERE state IN " + in + " AND id > ? ORDER BY id LIMIT ?")) {
                p.setLong(1, afterId);
                p.setInt(2, Math.max(0, limit));
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            return MessageRows.load(c, ids);
        });
    }

    @Override
    public boolean claimTlsReport(java.time.LocalDate day, String policyDomain, String nodeId) {
        requireNodeId(nodeId);
        return tx.inTransaction("claim the TLS report of " + day + " for " + policyDomain, c -> Sql.execute(c,
                "INSERT INTO tlsrpt_sent (day, policy_domain, node, at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (day, policy_domain) DO NOTHING", day.toString(),
                policyDomain.toLowerCase(java.util.Locale.ROOT), nodeId, clock.millis()) > 0);
    }

    @Override
    public List<dev.doublelock.tlsrpt.ResultCount> tlsResults(java.time.LocalDate day) {
        return tx.inTransaction("read the TLS report counts of " + day, c -> TlsReportRows.of(c, day));
    }

    @Override
    public List<WaitingCount> waitingByDomain() {
        return tx.inTransaction("count what waits per domain", ActivityRows::waiting);
    }

    @Override
    public List<RefusalCount> refusals(Instant from, Instant to, Duration slot) {
        requirePositive(slot);
        return tx.inTransaction("count refusals per finding code", c -> ActivityRows.refusals(c, from, to, slot));
    }

    @Override
    public WouldRefuseCounts wouldRefuse(Instant from, Instant to) {
        return tx.inTransaction("count testing mode's would-be refusals", c -> ActivityRows.wouldRefuse(c, from, to));
    }

    @Override
    public Map<State, Long> counts() {
        return tx.inTransaction("count messages", c -> {
            Map<State, Long> counts = new EnumMap<>(State.class);
            for (State s : State.values()) {
                counts.put(s, 0L);
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT state, COUNT(*) FROM message GROUP BY state")) {
                while (rs.next()) {
                    counts.put(State.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
            return Collections.unmodifiableMap(counts);
        });
    }

    @Override
    public dev.doublelock.policy.mtasts.StsCache stsCache() {
        return stsCache;
    }

    @Override
    public String describe() {
        return tx.describe();
    }

    @Override
    public void close() {
        intake.close();
        tx.close();
    }

    /** Reads (and on PostgreSQL row-locks) the message's state; fails for an unknown id. */
    private State lockState(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT state FROM message WHERE id = ?" + dialect.forUpdate())) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw unknown(id);
                }
                return State.valueOf(rs.getString(1));
            }
        }
    }

    /** Runs one UPDATE in its own transaction; an unknown id fails instead of counting 0. */
    private int update(String what, long id, String sql, Object... args) {
        return tx.inTransaction(what, c -> {
            lockState(c, id);
            return Sql.execute(c, sql, args);
        });
    }

    private static QueueException unknown(long id) {
        return new QueueException("no message with id " + id + " in the queue");
    }

    private static void requireNodeId(String nodeId) {
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("nodeId is empty; give each relay node a stable, unique name");
        }
    }

    private static void requirePositive(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("a lease or time slot must be a positive duration: " + d);
        }
    }
}
