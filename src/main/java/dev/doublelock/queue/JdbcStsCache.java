package dev.doublelock.queue;

import dev.doublelock.policy.mtasts.CachedPolicy;
import dev.doublelock.policy.mtasts.RecordSyntaxException;
import dev.doublelock.policy.mtasts.StsCache;
import dev.doublelock.policy.mtasts.StsPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MTA-STS policies kept in the queue's database (RFC 8461 §5.1, table {@code sts_policy}): a relay that restarts
 * still enforces every policy it has seen until its max_age runs out, so blocking the policy fetch right after a
 * restart gains an attacker nothing; the nodes sharing a PostgreSQL queue see each other's policies on their
 * first lookup of a domain. Lookups are answered from memory after the first read of a domain (absence included,
 * up to {@link #MEMORY_LIMIT} domains); a new policy is written to the database before memory. A stored policy that no longer parses is ignored and
 * replaced by the next fetch.
 */
final class JdbcStsCache implements StsCache {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStsCache.class);

    /** Domains remembered in memory (with or without a policy); beyond this the memory starts afresh from the table. */
    static final int MEMORY_LIMIT = 100_000;

    private final Transactions tx;
    private final Map<String, Optional<CachedPolicy>> memory = new ConcurrentHashMap<>();

    JdbcStsCache(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<CachedPolicy> get(String domain) {
        String key = domain.toLowerCase(Locale.ROOT);
        Optional<CachedPolicy> known = memory.get(key);
        if (known != null) {
            return known;
        }
        Optional<CachedPolicy> stored = read(key);
        if (memory.size() >= MEMORY_LIMIT) {
            memory.clear();
        }
        Optional<CachedPolicy> raced = memory.putIfAbsent(key, stored);
        return raced != null ? raced : stored;
    }

    private Optional<CachedPolicy> read(String key) {
        return tx.inTransaction("read the MTA-STS policy of " + key, c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT policy_id, policy, fetched_at FROM sts_policy WHERE domain = ?")) {
                p.setString(1, key);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    try {
                        return Optional.of(new CachedPolicy(rs.getString(1), StsPolicy.parse(rs.getString(2)),
                                Instant.ofEpochMilli(rs.getLong(3))));
                    } catch (RecordSyntaxException e) {
                        LOG.warn("ignoring the stored MTA-STS policy of {}: {}", key, e.getMessage());
                        return Optional.empty();
                    }
                }
            }
        });
    }

    @Override
    public void put(String domain, CachedPolicy policy) {
        String key = domain.toLowerCase(Locale.ROOT);
        tx.inTransaction("store the MTA-STS policy of " + key, c -> Sql.execute(c,
                "INSERT INTO sts_policy (domain, policy_id, policy, fetched_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (domain) DO UPDATE SET policy_id = excluded.policy_id, policy = excluded.policy, "
                        + "fetched_at = excluded.fetched_at",
                key, policy.id(), policy.policy().toText(), policy.fetchedAt().toEpochMilli()));
        memory.put(key, Optional.of(policy));
    }
}
