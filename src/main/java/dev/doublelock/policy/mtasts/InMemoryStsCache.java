package dev.doublelock.policy.mtasts;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A process-local {@link StsCache}; lost on restart. */
public final class InMemoryStsCache implements StsCache {
    private final Map<String, CachedPolicy> policies = new ConcurrentHashMap<>();

    @Override
    public Optional<CachedPolicy> get(String domain) {
        return Optional.ofNullable(policies.get(domain.toLowerCase(Locale.ROOT)));
    }

    @Override
    public void put(String domain, CachedPolicy policy) {
        policies.put(domain.toLowerCase(Locale.ROOT), policy);
    }
}
