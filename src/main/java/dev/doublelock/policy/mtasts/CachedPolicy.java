package dev.doublelock.policy.mtasts;

import java.time.Instant;

/** A fetched policy with the record id it was fetched under and when; it expires after max_age. */
public record CachedPolicy(String id, StsPolicy policy, Instant fetchedAt) {
    public Instant expiresAt() {
        return fetchedAt.plusSeconds(policy.maxAgeSeconds());
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt());
    }
}
