package dev.doublelock.relay.delivery;

import dev.doublelock.policy.transport.ChainAuthentication;

import javax.net.ssl.SSLContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The relay's outgoing {@link SSLContext}s, one per {@link Key}, so that a second delivery to the same server
 * under the same policy resumes the TLS session (JSSE keeps a client session cache per context, keyed by peer
 * host and port: TLS 1.3 PSK tickets, TLS 1.2 session ids). Bounded: at most {@code maxContexts} contexts (least
 * recently used dropped first), each for at most {@code ttl} after it was made, after which its sessions are
 * gone with it. A session made under one key is never offered under another: the key names everything the trust
 * decision depends on, so a session established under a weaker policy or without DANE is never resumed under a
 * stricter one. Thread-safe.
 */
final class TlsContextCache {
    /**
     * Everything a cached context's sessions were judged under.
     *
     * @param policy         policy name and version
     * @param policyMode     the policy's own mode (enforce, report-only)
     * @param requirement    the stance and the hop's mechanism (local policy, DANE, MTA-STS, REQUIRETLS)
     * @param referenceName  the name the certificate must carry (the MX host)
     * @param endpoint       the server's address and port
     * @param enforcePolicy  whether a FAIL finding rejects the chain
     * @param addressLiteral whether the hop is an address literal (no SNI)
     * @param authentication Web PKI, or DANE with the exact TLSA records
     * @param verification   verified, or recorded only (an unverified session is never resumed where verified TLS is
     *                       required)
     */
    record Key(String policy, String policyMode, String requirement, String referenceName, String endpoint,
               boolean enforcePolicy, boolean addressLiteral, ChainAuthentication authentication,
               JudgingTrustManager.Verification verification) {
    }

    private record Entry(SSLContext context, Instant made) {
    }

    static final int DEFAULT_MAX_CONTEXTS = 256;
    static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

    private final int maxContexts;
    private final Duration ttl;
    private final Clock clock;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    TlsContextCache(int maxContexts, Duration ttl, Clock clock) {
        if (maxContexts < 1 || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the TLS context cache needs at least one entry and a positive lifetime");
        }
        this.maxContexts = maxContexts;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The live context for {@code key}, or a new one from {@code make} (then cached). */
    synchronized SSLContext get(Key key, Supplier<SSLContext> make) {
        Instant now = clock.instant();
        Entry e = entries.get(key);
        if (e != null && now.isBefore(e.made().plus(ttl))) {
            return e.context();
        }
        expire(now);
        SSLContext ctx = make.get();
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, ttl.toSeconds()));
        ctx.getClientSessionContext().setSessionTimeout(seconds);
        ctx.getClientSessionContext().setSessionCacheSize(16);
        entries.put(key, new Entry(ctx, now));
        while (entries.size() > maxContexts) {
            Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
            it.next();
            it.remove();
        }
        return ctx;
    }

    /** Drops the context for {@code key} (and so all its sessions): the next handshake is a full one. */
    synchronized void forget(Key key) {
        entries.remove(key);
    }

    synchronized int size() {
        return entries.size();
    }

    private void expire(Instant now) {
        entries.values().removeIf(e -> !now.isBefore(e.made().plus(ttl)));
    }
}
