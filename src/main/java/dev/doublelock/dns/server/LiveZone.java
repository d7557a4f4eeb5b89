package dev.doublelock.dns.server;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The zone a server is answering from right now: signed with its keys, and signed again (new signatures, new SOA
 * serial) as soon as a lookup finds that less than {@code refreshBefore} of the signatures' validity is left — so
 * a lab that runs for months never serves an expired RRSIG. An unsigned zone is served as it is.
 */
public final class LiveZone implements Supplier<ServedZone> {
    /** Re-sign when less than this is left of {@link ZoneSigner#DEFAULT_VALIDITY}. */
    public static final Duration DEFAULT_REFRESH_BEFORE = Duration.ofDays(7);

    private final Optional<ZoneKeys> keys;
    private final Clock clock;
    private final Duration validity;
    private final Duration refreshBefore;
    private ZoneContent content;
    private ServedZone current;
    private int signings;

    private LiveZone(ZoneContent content, Optional<ZoneKeys> keys, Clock clock, Duration validity, Duration refreshBefore) {
        if (keys.isPresent() && refreshBefore.compareTo(validity) >= 0) {
            throw new IllegalArgumentException("re-signing " + refreshBefore + " before expiry needs a validity longer than that");
        }
        this.keys = keys;
        this.clock = clock;
        this.validity = validity;
        this.refreshBefore = refreshBefore;
        this.content = content;
        this.current = make();
    }

    public static LiveZone signed(ZoneContent content, ZoneKeys keys, Clock clock) {
        return signed(content, keys, clock, ZoneSigner.DEFAULT_VALIDITY, DEFAULT_REFRESH_BEFORE);
    }

    public static LiveZone signed(ZoneContent content, ZoneKeys keys, Clock clock, Duration validity, Duration refreshBefore) {
        return new LiveZone(content, Optional.of(keys), clock, validity, refreshBefore);
    }

    public static LiveZone unsigned(ZoneContent content) {
        return new LiveZone(content, Optional.empty(), Clock.systemUTC(), Duration.ZERO, Duration.ZERO);
    }

    /** The zone to answer from, re-signed first when its signatures are due. */
    @Override
    public synchronized ServedZone get() {
        if (keys.isPresent() && !clock.instant().isBefore(current.expiresAt().minus(refreshBefore))) {
            current = make();
        }
        return current;
    }

    /** Serves new records from now on (signed at once). */
    public synchronized void update(ZoneContent newContent) {
        if (!newContent.origin().equals(content.origin())) {
            throw new IllegalArgumentException("a live zone keeps its name: " + content.origin());
        }
        content = newContent;
        current = make();
    }

    /** How many times the zone has been signed (1 after start). */
    public synchronized int signings() {
        return signings;
    }

    private ServedZone make() {
        signings++;
        return keys.map(k -> ZoneSigner.sign(content, k, clock.instant(), validity)).orElseGet(() -> ServedZone.unsigned(content));
    }
}
