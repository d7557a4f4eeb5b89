package dev.doublelock.policy.mtasts;

import java.util.Optional;

/**
 * Where senders keep MTA-STS policies between deliveries (RFC 8461 §5.1). A relay may back this
 * with its database (the relay keeps them in its queue); {@link InMemoryStsCache} serves the checker and tests.
 */
public interface StsCache {
    /** The cached policy for a domain, expired or not; the caller checks expiry. */
    Optional<CachedPolicy> get(String domain);

    void put(String domain, CachedPolicy policy);
}
