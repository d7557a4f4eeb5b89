package dev.doublelock.policy.mtasts;

/** What MTA-STS says for a domain after DNS, cache and fetch (RFC 8461 §3, §5.1). */
public sealed interface StsLookupResult {

    /** The domain has no MTA-STS (no record, several records, or an invalid record) and nothing is cached. */
    record NoPolicy(String reason) implements StsLookupResult {
    }

    /**
     * A policy applies.
     *
     * @param fromCache true if it came from the cache (record id unchanged, or a refresh failed)
     * @param refreshProblem why a refresh failed while a cached policy was used, or null
     */
    record Active(StsPolicy policy, String id, boolean fromCache, String refreshProblem) implements StsLookupResult {
    }

    /** A record announces a policy, but the policy cannot be fetched or is invalid, and nothing is cached. */
    record Failed(String id, FetchResult failure) implements StsLookupResult {
    }

    /** The TXT lookup failed (SERVFAIL, timeout, bogus) and nothing is cached: could not check. */
    record DnsFailure(String reason) implements StsLookupResult {
    }
}
