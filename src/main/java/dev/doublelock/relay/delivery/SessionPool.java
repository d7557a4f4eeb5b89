package dev.doublelock.relay.delivery;

import dev.doublelock.policy.transport.ChainAuthentication;

import dev.doublelock.finding.Finding;
import dev.doublelock.smtp.client.SmtpClientSession;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Open SMTP sessions that already passed the policy judgement before MAIL FROM, kept for the next messages with
 * the identical delivery decision (connection reuse, RFC 5321 §4.1.1.5: RSET between transactions). A session is
 * handed out to one message at a time ({@link #take}) and given back after its transaction ({@link #offer}); it is
 * retired after {@link #MAX_MESSAGES} messages or {@link #MAX_AGE}, and {@link #close()} QUITs whatever is left.
 *
 * <p>Two scopes: a pool {@linkplain #forBatch for one claim batch} keeps sessions until the batch ends; a
 * {@linkplain #shared shared} pool (the delivery worker's connection cache, like Postfix's {@code scache}) keeps
 * them across batches, each for at most its idle limit after its last message ({@link #sweep} QUITs the expired
 * ones), and at most a bounded number of idle sessions per key. Sessions are handed out most recently used first,
 * so under light load one warm connection carries the mail and the others age out.
 *
 * <p>A pool only ever hands a session to a message whose {@link Key} is equal: same hop and address, same local
 * policy and stance, same requirement from the recipient domain (DANE, MTA-STS, REQUIRETLS) and the same chain
 * authentication. A DANE key compares its TLSA records, so sessions are reused under DANE only when the records
 * are the same objects (one lookup); otherwise a new session is opened and judged, which is always safe.
 *
 * <p>Network I/O (QUIT) never happens under the pool's lock, nor on the thread of the delivery that retires a
 * session: retired sessions are QUIT in the background.
 */
final class SessionPool implements AutoCloseable {
    /** Most messages sent over one connection. */
    static final int MAX_MESSAGES = 100;
    /** Longest a connection is used for new messages, from when it was opened. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    /** Longest {@link #close()} waits for the QUITs of the sessions it ends. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

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

    private record Idle(OpenSession session, Instant since) {}

    private final Clock clock;
    private final boolean enabled;
    /** Longest a session waits in the pool for its next message; null: until the pool is closed. */
    private final Duration idleLimit;
    private final int maxIdlePerKey;
    private final Map<Key, ArrayDeque<Idle>> idle = new HashMap<>();
    private boolean closed;

    private SessionPool(Clock clock, boolean enabled, Duration idleLimit, int maxIdlePerKey) {
        this.clock = clock;
        this.enabled = enabled;
        this.idleLimit = idleLimit;
        this.maxIdlePerKey = maxIdlePerKey;
    }

    /** A pool for one batch of messages: one idle session per key, kept until the batch ends. */
    static SessionPool forBatch(Clock clock) {
        return new SessionPool(clock, true, null, 1);
    }

    /**
     * A pool that outlives batches: a session given back waits up to {@code idleLimit} for its next message, and at
     * most {@code maxIdlePerKey} sessions wait per key (more are QUIT, the longest-idle first).
     */
    static SessionPool shared(Clock clock, Duration idleLimit, int maxIdlePerKey) {
        if (idleLimit.isNegative() || idleLimit.isZero()) {
            throw new IllegalArgumentException("the idle limit of a shared session pool must be positive: " + idleLimit);
        }
        if (maxIdlePerKey < 1) {
            throw new IllegalArgumentException("maxIdlePerKey must be at least 1, got " + maxIdlePerKey);
        }
        return new SessionPool(clock, true, idleLimit, maxIdlePerKey);
    }

    /** A pool that keeps nothing: every message gets its own connection. */
    static SessionPool none() {
        return new SessionPool(Clock.systemUTC(), false, null, 1);
    }

    Clock clock() {
        return clock;
    }

    /** The open session for {@code key}, removed from the pool until it is offered back; empty if none is usable. */
    Optional<OpenSession> take(Key key) {
        List<OpenSession> retired = new ArrayList<>();
        Optional<OpenSession> found = Optional.empty();
        synchronized (this) {
            ArrayDeque<Idle> waiting = idle.get(key);
            Instant now = clock.instant();
            while (waiting != null && !waiting.isEmpty()) {
                Idle i = waiting.pollFirst();
                if (usable(i.session, now) && !expired(i, now)) {
                    found = Optional.of(i.session);
                    break;
                }
                retired.add(i.session);
            }
            if (waiting != null && waiting.isEmpty()) {
                idle.remove(key);
            }
        }
        quit(retired);
        return found;
    }

    /**
     * Keeps {@code s} for the next message with {@code key} if it is still open and within its bounds; QUITs it
     * otherwise. When more than the allowed sessions wait for the key, the longest-idle one is QUIT.
     */
    void offer(Key key, OpenSession s) {
        List<OpenSession> retired = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            if (!enabled || closed || !usable(s, now)) {
                retired.add(s);
            } else {
                ArrayDeque<Idle> waiting = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
                waiting.removeIf(i -> i.session.session() == s.session());
                waiting.addFirst(new Idle(s, now));
                while (waiting.size() > maxIdlePerKey) {
                    retired.add(waiting.pollLast().session);
                }
            }
        }
        quit(retired);
    }

    /** QUITs the sessions that waited longer than the idle limit (or grew too old); returns how many. */
    int sweep() {
        List<OpenSession> retired = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            for (Iterator<ArrayDeque<Idle>> it = idle.values().iterator(); it.hasNext(); ) {
                ArrayDeque<Idle> waiting = it.next();
                waiting.removeIf(i -> {
                    if (expired(i, now) || !usable(i.session, now)) {
                        retired.add(i.session);
                        return true;
                    }
                    return false;
                });
                if (waiting.isEmpty()) {
                    it.remove();
                }
            }
        }
        quit(retired);
        return retired.size();
    }

    /** Sessions waiting in the pool right now. */
    synchronized int idleSessions() {
        return idle.values().stream().mapToInt(ArrayDeque::size).sum();
    }

    private boolean expired(Idle i, Instant now) {
        return idleLimit != null && Duration.between(i.since, now).compareTo(idleLimit) >= 0;
    }

    private static boolean usable(OpenSession s, Instant now) {
        return s.session().isOpen() && s.messages() < MAX_MESSAGES
                && Duration.between(s.opened(), now).compareTo(MAX_AGE) < 0;
    }

    /**
     * QUITs each session on a virtual thread of its own: a server slow to answer QUIT (it may take the whole command
     * timeout) never holds up the delivery that retired the session.
     */
    private static List<Thread> quit(List<OpenSession> sessions) {
        List<Thread> quitting = new ArrayList<>(sessions.size());
        for (OpenSession s : sessions) {
            quitting.add(Thread.ofVirtual().name("smtp-quit").start(() -> s.session().quit()));
        }
        return quitting;
    }

    /**
     * QUITs every session left in the pool, waiting up to {@link #CLOSE_WAIT} for the servers' answers (then the
     * connections are left to close on their own); sessions offered afterwards are QUIT at once.
     */
    @Override
    public void close() {
        List<OpenSession> left = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(q -> q.forEach(i -> left.add(i.session)));
            idle.clear();
        }
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (Thread t : quit(left)) {
            try {
                if (!t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }
}
