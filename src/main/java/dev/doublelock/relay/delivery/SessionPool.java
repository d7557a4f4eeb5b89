package dev.doublelock.relay.delivery;

import dev.doublelock.finding.Finding;
import dev.doublelock.smtp.client.SmtpClientSession;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Open SMTP sessions that already passed the policy judgement before MAIL FROM, kept for the next messages of
 * one claim batch with the identical delivery decision (connection reuse, RFC 5321 §4.1.1.5: RSET between
 * transactions). A session is handed out to one message at a time ({@link #take}) and given back after its
 * transaction ({@link #offer}); it is retired after {@link #MAX_MESSAGES} messages or {@link #MAX_AGE}, and
 * {@link #close()} QUITs whatever is left when the batch ends.
 *
 * <p>A pool only ever hands a session to a message whose {@link Key} is equal: same hop and address, same local
 * policy and stance, same requirement from the recipient domain (DANE, MTA-STS, REQUIRETLS) and the same chain
 * authentication. A DANE key compares its TLSA records, so sessions are reused under DANE only when the records
 * are the same objects (one lookup); otherwise a new session is opened and judged, which is always safe.
 */
final class SessionPool implements AutoCloseable {
    /** Most messages sent over one connection. */
    static final int MAX_MESSAGES = 100;
    /** Longest a connection is used for new messages, from when it was opened. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    /**
     * What must be identical for two messages to share a session.
     *
     * @param requirement the stance's words (mode, verified, enforced, requiretls) as {@link HopDelivery} builds them
     * @param mechanism   the domain's requirement label (dane, mta-sts) or the local policy's name
     */
    record Key(Hop hop, InetSocketAddress address, String policyName, String requirement, String mechanism,
               ChainAuthentication authentication) {
        Key {
            Objects.requireNonNull(hop, "hop");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(policyName, "policyName");
            Objects.requireNonNull(requirement, "requirement");
            Objects.requireNonNull(mechanism, "mechanism");
            Objects.requireNonNull(authentication, "authentication");
        }
    }

    /**
     * A judged session and what every message sent over it records: the server's address, the TLS used, the
     * findings of the judgement and whether the policy (in testing mode) would have refused it.
     */
    record OpenSession(SmtpClientSession session, String ip, TlsUsed used, List<Finding> findings, boolean wouldRefuse,
                       Instant opened, int messages) {
        OpenSession {
            findings = List.copyOf(findings);
        }

        /** The same session after one more message. */
        OpenSession next() {
            return new OpenSession(session, ip, used, findings, wouldRefuse, opened, messages + 1);
        }
    }

    private final Clock clock;
    private final boolean enabled;
    private final Map<Key, OpenSession> open = new HashMap<>();

    private SessionPool(Clock clock, boolean enabled) {
        this.clock = clock;
        this.enabled = enabled;
    }

    /** A pool for one batch of messages. */
    static SessionPool forBatch(Clock clock) {
        return new SessionPool(clock, true);
    }

    /** A pool that keeps nothing: every message gets its own connection. */
    static SessionPool none() {
        return new SessionPool(Clock.systemUTC(), false);
    }

    Clock clock() {
        return clock;
    }

    /** The open session for {@code key}, removed from the pool until it is offered back; empty if none is usable. */
    synchronized Optional<OpenSession> take(Key key) {
        OpenSession s = open.remove(key);
        if (s == null) {
            return Optional.empty();
        }
        if (!usable(s)) {
            s.session().quit();
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /**
     * Keeps {@code s} for the next message with {@code key} if it is still open and within its bounds; QUITs it
     * otherwise. Replaces (and QUITs) a session already kept for the key.
     */
    synchronized void offer(Key key, OpenSession s) {
        if (!enabled || !usable(s)) {
            s.session().quit();
            return;
        }
        OpenSession old = open.put(key, s);
        if (old != null && old.session() != s.session()) {
            old.session().quit();
        }
    }

    private boolean usable(OpenSession s) {
        return s.session().isOpen() && s.messages() < MAX_MESSAGES
                && Duration.between(s.opened(), clock.instant()).compareTo(MAX_AGE) < 0;
    }

    /** QUITs every session left in the pool. */
    @Override
    public void close() {
        List<OpenSession> left;
        synchronized (this) {
            left = new ArrayList<>(open.values());
            open.clear();
        }
        left.forEach(s -> s.session().quit());
    }
}
