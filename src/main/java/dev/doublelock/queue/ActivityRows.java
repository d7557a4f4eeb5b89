package dev.doublelock.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The operator's aggregate reads of the queue: what waits per domain and reason, refusals per finding code and time
 * slot, testing mode's would-be refusals per domain. Plain SQL both dialects speak (GROUP BY ordinals, integer
 * division of epoch milliseconds); codes joined by commas are split here.
 */
final class ActivityRows {
    private static final String WAITING_STATES = "('QUEUED', 'DELIVERING', 'DEFERRED', 'HELD')";

    private ActivityRows() {
    }

    static List<WaitingCount> waiting(Connection c) throws SQLException {
        record Key(String domain, String reason) {
        }
        final class Tally {
            long messages;
            long recipients;
            long lastMsg = -1;
            long oldest = Long.MAX_VALUE;
        }
        Map<Key, Tally> tallies = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT r.msg, r.address, r.reason, m.queued_at FROM recipient r "
                + "JOIN message m ON m.id = r.msg WHERE m.state IN " + WAITING_STATES + " AND r.status = 'PENDING' "
                + "ORDER BY r.msg, r.idx")) {
            p.setFetchSize(1000);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    long msg = rs.getLong(1);
                    String reason = rs.getString(3);
                    Tally t = tallies.computeIfAbsent(new Key(domainOf(rs.getString(2)), reason == null ? "" : reason),
                            k -> new Tally());
                    t.recipients++;
                    if (t.lastMsg != msg) { // rows come by message: a new message for this key
                        t.messages++;
                        t.lastMsg = msg;
                    }
                    t.oldest = Math.min(t.oldest, rs.getLong(4));
                }
            }
        }
        List<WaitingCount> out = new ArrayList<>();
        tallies.forEach((k, t) -> out.add(new WaitingCount(k.domain(), k.reason(), t.messages, t.recipients,
                Instant.ofEpochMilli(t.oldest))));
        out.sort(Comparator.comparing(WaitingCount::domain).thenComparing(WaitingCount::messages, Comparator.reverseOrder())
                .thenComparing(WaitingCount::reason));
        return out;
    }

    static List<RefusalCount> refusals(Connection c, Instant from, Instant to, Duration slot) throws SQLException {
        long slotMillis = slot.toMillis();
        record Key(long slot, String code) {
        }
        Map<Key, long[]> counts = new TreeMap<>(Comparator.comparingLong(Key::slot).thenComparing(Key::code));
        // attempts recorded before refusal_codes was kept name only their notable findings: the best there is
        try (PreparedStatement p = c.prepareStatement("SELECT at / ?, COALESCE(refusal_codes, finding_codes), "
                + "would_refuse, COUNT(*) FROM attempt WHERE at >= ? AND at < ? "
                + "AND (outcome = 'refused' OR would_refuse = 1) GROUP BY 1, 2, 3")) {
            Sql.bind(p, slotMillis, from.toEpochMilli(), to.toEpochMilli());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    long start = rs.getLong(1) * slotMillis;
                    boolean wouldRefuse = rs.getInt(3) != 0;
                    List<String> codes = MessageRows.codes(rs.getString(2));
                    for (String code : codes.isEmpty() ? List.of("") : codes) {
                        counts.computeIfAbsent(new Key(start, code), k -> new long[2])[wouldRefuse ? 1 : 0] += rs.getLong(4);
                    }
                }
            }
        }
        List<RefusalCount> out = new ArrayList<>();
        counts.forEach((k, n) -> out.add(new RefusalCount(Instant.ofEpochMilli(k.slot()), k.code(), n[0], n[1])));
        return out;
    }

    static WouldRefuseCounts wouldRefuse(Connection c, Instant from, Instant to) throws SQLException {
        final class Domain {
            final Set<Long> messages = new HashSet<>();
            final Map<String, Set<Long>> byCode = new HashMap<>();
            long sessions;
            long last;
        }
        Map<String, Domain> domains = new HashMap<>();
        Set<Long> all = new HashSet<>();
        try (PreparedStatement p = c.prepareStatement("SELECT COALESCE(domain, ''), msg, COALESCE(refusal_codes, ''), "
                + "COUNT(*), MAX(at) FROM attempt WHERE would_refuse = 1 AND at >= ? AND at < ? GROUP BY 1, 2, 3")) {
            Sql.bind(p, from.toEpochMilli(), to.toEpochMilli());
            p.setFetchSize(1000);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Domain d = domains.computeIfAbsent(rs.getString(1), k -> new Domain());
                    long msg = rs.getLong(2);
                    all.add(msg);
                    d.messages.add(msg);
                    for (String code : MessageRows.codes(rs.getString(3))) {
                        d.byCode.computeIfAbsent(code, k -> new HashSet<>()).add(msg);
                    }
                    d.sessions += rs.getLong(4);
                    d.last = Math.max(d.last, rs.getLong(5));
                }
            }
        }
        long attemptedMessages;
        long attempts;
        try (PreparedStatement p = c.prepareStatement(
                "SELECT COUNT(DISTINCT msg), COUNT(*) FROM attempt WHERE at >= ? AND at < ?")) {
            Sql.bind(p, from.toEpochMilli(), to.toEpochMilli());
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                attemptedMessages = rs.getLong(1);
                attempts = rs.getLong(2);
            }
        }
        List<WouldRefuseCount> out = new ArrayList<>();
        domains.forEach((name, d) -> {
            Map<String, Long> byCode = new LinkedHashMap<>();
            d.byCode.entrySet().stream()
                    .sorted(Map.Entry.<String, Set<Long>>comparingByValue(Comparator.comparingInt(Set::size)).reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> byCode.put(e.getKey(), (long) e.getValue().size()));
            out.add(new WouldRefuseCount(name, d.messages.size(), d.sessions, Instant.ofEpochMilli(d.last), byCode));
        });
        out.sort(Comparator.comparing(WouldRefuseCount::messages, Comparator.reverseOrder())
                .thenComparing(WouldRefuseCount::domain));
        return new WouldRefuseCounts(all.size(), attemptedMessages, attempts, out);
    }

    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return (at < 0 ? address : address.substring(at + 1)).toLowerCase(Locale.ROOT);
    }
}
