package dev.doublelock.policy.mtasts;

import dev.doublelock.dns.Lookup;
import dev.doublelock.dns.MailResolver;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Discovers a domain's MTA-STS policy: the TXT record at {@code _mta-sts.DOMAIN}, then the cache,
 * then an HTTPS fetch. Cache semantics follow RFC 8461 §5.1:
 * <ul>
 *   <li>a cached, unexpired policy whose id equals the record's id is used without fetching;</li>
 *   <li>a new id (or no cached policy) triggers a fetch; a valid result replaces the cache entry
 *       and restarts its max_age;</li>
 *   <li>if the record disappears, the DNS fails or the fetch fails, an unexpired cached policy is
 *       still used (so an attacker who strips the record or blocks HTTPS does not downgrade
 *       delivery), and the problem is reported alongside;</li>
 *   <li>an expired entry is never used.</li>
 * </ul>
 * Exactly one TXT record beginning with {@code v=STSv1} must exist; otherwise the domain has none (§3.1).
 */
public final class StsLookup {
    private final MailResolver resolver;
    private final dev.doublelock.io.Lazy<StsFetcher> fetcher;
    private final StsCache cache;
    private final Clock clock;

    public StsLookup(MailResolver resolver, StsFetcher fetcher, StsCache cache, Clock clock) {
        this(resolver, dev.doublelock.io.Lazy.ofValue(fetcher), cache, clock);
    }

    /** With the fetcher (an HTTPS client) made only when a domain first has an MTA-STS record to fetch. */
    public StsLookup(MailResolver resolver, Supplier<StsFetcher> fetcherFactory, StsCache cache, Clock clock) {
        this.resolver = resolver;
        this.fetcher = dev.doublelock.io.Lazy.of(fetcherFactory, "MTA-STS fetcher");
        this.cache = cache;
        this.clock = clock;
    }

    private StsFetcher fetcher() {
        return fetcher.get();
    }

    public StsLookupResult lookup(String domain) {
        Instant now = clock.instant();
        Optional<CachedPolicy> cached = cache.get(domain).filter(c -> !c.expired(now));
        Lookup<List<String>> txt = resolver.txt("_mta-sts." + domain);
        if (!txt.answered()) {
            String reason = "TXT _mta-sts." + domain + ": " + txt;
            return cached.<StsLookupResult>map(c -> fromCache(c, reason)).orElse(new StsLookupResult.DnsFailure(reason));
        }
        StsRecord record;
        try {
            record = record(txt, domain);
        } catch (RecordSyntaxException e) {
            return cached.<StsLookupResult>map(c -> fromCache(c, e.getMessage()))
                    .orElse(new StsLookupResult.NoPolicy(e.getMessage()));
        }
        if (cached.isPresent() && cached.get().id().equals(record.id())) {
            return fromCache(cached.get(), null);
        }
        FetchResult fetched = fetcher().fetch(domain);
        if (fetched instanceof FetchResult.Ok ok) {
            cache.put(domain, new CachedPolicy(record.id(), ok.policy(), now));
            return new StsLookupResult.Active(ok.policy(), record.id(), false, null);
        }
        return cached.<StsLookupResult>map(c -> fromCache(c, "refresh failed: " + fetched))
                .orElse(new StsLookupResult.Failed(record.id(), fetched));
    }

    private static StsRecord record(Lookup<List<String>> txt, String domain) {
        List<String> candidates = txt instanceof Lookup.Found<List<String>> f
                ? f.value().stream().filter(StsRecord::isCandidate).toList() : List.of();
        if (candidates.isEmpty()) {
            throw new RecordSyntaxException("no MTA-STS record at _mta-sts." + domain);
        }
        if (candidates.size() > 1) {
            throw new RecordSyntaxException(candidates.size() + " MTA-STS records at _mta-sts." + domain
                    + "; RFC 8461 §3.1 requires exactly one, so senders ignore them all");
        }
        try {
            return StsRecord.parse(candidates.get(0));
        } catch (RecordSyntaxException e) {
            throw new RecordSyntaxException("invalid MTA-STS record at _mta-sts." + domain + ": " + e.getMessage());
        }
    }

    private static StsLookupResult fromCache(CachedPolicy c, String problem) {
        return new StsLookupResult.Active(c.policy(), c.id(), true, problem);
    }
}
