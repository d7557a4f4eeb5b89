package dev.doublelock.check;

import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.probe.Transport;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One probe per MX address in a batch: the first target that needs an (address, port, transport) probes it,
 * every other target that shares it — at once or later — gets that observation, judged against its own MX name.
 * Concurrent requests for an address being probed wait for that probe instead of starting another. Bounded: the
 * least recently used entries go beyond {@code capacity}.
 * <p>
 * The caveat, shown in every reused host's report: the prober sent the first MX name as SNI; a server that
 * picks its certificate by SNI may show another name a different certificate ({@code check --no-probe-reuse}).
 */
final class ProbeCache {
    /** What identifies one probe. */
    record Key(InetAddress address, int port, Transport transport) {
    }

    /** An observation and the MX name it was probed as (sent as SNI). */
    record Probed(ServerObservation observation, String probedAs, boolean reused) {
    }

    private final int capacity;
    private final Map<Key, CompletableFuture<Probed>> entries;
    private final AtomicInteger probes = new AtomicInteger();
    private final AtomicInteger reuses = new AtomicInteger();

    ProbeCache(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, CompletableFuture<Probed>> eldest) {
                return size() > ProbeCache.this.capacity;
            }
        };
    }

    /** The observation for {@code key}: probed now (as {@code referenceName}) or reused from an earlier probe. */
    Probed get(Key key, String referenceName, Supplier<ServerObservation> probe) {
        CompletableFuture<Probed> mine = new CompletableFuture<>();
        CompletableFuture<Probed> existing;
        synchronized (entries) {
            existing = entries.putIfAbsent(key, mine);
        }
        if (existing == null) {
            probes.incrementAndGet();
            try {
                mine.complete(new Probed(probe.get(), referenceName, false));
            } catch (RuntimeException | Error e) {
                synchronized (entries) {
                    entries.remove(key, mine);
                }
                mine.completeExceptionally(e);
                throw e;
            }
            return mine.join();
        }
        Probed first = existing.join();
        if (first.probedAs().equalsIgnoreCase(referenceName)) {
            reuses.incrementAndGet();
            return new Probed(first.observation(), first.probedAs(), true);
        }
        reuses.incrementAndGet();
        return new Probed(first.observation().withReferenceName(referenceName), first.probedAs(), true);
    }

    /** How many endpoints were really probed. */
    int probes() {
        return probes.get();
    }

    /** How many host checks used an earlier probe instead. */
    int reuses() {
        return reuses.get();
    }
}
