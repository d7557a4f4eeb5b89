package dev.doublelock.tls.probe;

import dev.doublelock.tls.StartTlsOutcome;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One probe job on one connection (sslyze's ScanJob): take a per-host permit, open, send one ClientHello,
 * read the server's flight, close.
 *
 * <p>Polite probing: a receiver over its per-client connection limit answers 421 (or 450) or drops the
 * connection. Then the address's connection cap is lowered ({@link HostLimiter#throttled}) and the connection
 * is tried again after an exponential backoff with jitter, up to {@value #RETRIES} times; a refused, reset or
 * closed connection counts as such only once the target has been reached (mid-scan), so a dead port fails fast.
 * What still cannot be opened is returned as not reached, with the attempts in the detail, and ends up in the
 * observation's {@code untested} (the report is incomplete, never compliant). Once one connection of the target
 * has used up its retries, later ones are not retried again, so a receiver that keeps refusing costs seconds,
 * not minutes.
 */
final class HelloExchange {
    /** Retries after the first attempt. */
    static final int RETRIES = 5;
    /** First backoff; doubled per retry (150, 300, 600, 1200, 2400 ms, plus up to as much jitter). */
    static final long BACKOFF_MILLIS = 150;

    private final ProbeTarget target;
    private final Connector connector;
    private final HostLimiter limiter;
    private final Deadline targetDeadline;
    private final AtomicBoolean reached = new AtomicBoolean();
    private final AtomicBoolean gaveUp = new AtomicBoolean();

    /** How long a vulnerability probe waits for the server's reaction ({@link ProbeOptions#reactionWait}), in ms. */
    int reactionMillis() {
        return (int) connector.options().reactionWait().toMillis();
    }

    HelloExchange(ProbeTarget target, Connector connector, HostLimiter limiter, Deadline targetDeadline) {
        this.target = target;
        this.connector = connector;
        this.limiter = limiter;
        this.targetDeadline = targetDeadline;
    }

    ProbeTarget target() {
        return target;
    }

    Deadline targetDeadline() {
        return targetDeadline;
    }

    /** What to do on a connection that is ready for TLS. */
    interface OnReady<T> {
        T use(Connector.Opened connection, Deadline connectionDeadline) throws IOException;
    }

    /** The result of {@link #connect}: what {@code use} returned, or why no connection became ready. */
    sealed interface Connected<T> {
        record Used<T>(T value) implements Connected<T> {
        }

        /** TLS never started; {@code outcome} says why (after retries, if the server was busy). */
        record NotReached<T>(StartTlsOutcome outcome) implements Connected<T> {
        }

        /** No connection slot, deadline or interrupt. */
        record NoSlot<T>(String reason) implements Connected<T> {
        }
    }

    /**
     * Opens a connection ready for TLS (permit, TCP, SMTP dialogue for STARTTLS) and runs {@code use} on it; when
     * the server turns the connection away, lowers the cap and retries with backoff (see the class comment).
     */
    <T> Connected<T> connect(OnReady<T> use) {
        for (int attempt = 0; ; attempt++) {
            if (targetDeadline.expired()) {
                return new Connected.NoSlot<>("target deadline passed");
            }
            Connector.Opened failed;
            int capNow;
            try (HostLimiter.Permit permit = limiter.acquire(target.address().getAddress(), targetDeadline)) {
                if (permit == null) {
                    return new Connected.NoSlot<>("target deadline passed waiting for a connection slot");
                }
                Deadline deadline = connector.connectionDeadline(targetDeadline);
                try (Connector.Opened c = connector.open(target, deadline)) {
                    if (c.ready()) {
                        reached.set(true);
                        try {
                            return new Connected.Used<>(use.use(c, deadline));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                    failed = c;
                }
                boolean busy = failed.turnedAway() == Connector.TurnedAway.BUSY
                        || failed.turnedAway() == Connector.TurnedAway.DROPPED && reached.get();
                if (!busy) {
                    return new Connected.NotReached<>(failed.outcome());
                }
                capNow = limiter.throttled(target.address().getAddress(), permit);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Connected.NoSlot<>("interrupted");
            }
            if (attempt >= RETRIES || gaveUp.get()) {
                gaveUp.set(true);
                StartTlsOutcome o = failed.outcome();
                return new Connected.NotReached<>(new StartTlsOutcome(o.status(), o.detail()
                        + " — the server kept turning connections away after " + (attempt + 1) + " attempt(s) with "
                        + "backoff; connections to this address lowered to " + capNow + " at a time"));
            }
            long wait = (BACKOFF_MILLIS << attempt) + ThreadLocalRandom.current().nextLong(BACKOFF_MILLIS << attempt);
            try {
                Thread.sleep(Math.max(0, Math.min(wait, targetDeadline.remainingMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Connected.NoSlot<>("interrupted");
            }
        }
    }

    /**
     * What a probe's connection gave: the value, or null with the reason told to {@code untested} under the probe's
     * {@code name} — {@code why} when the probe itself could not tell, else why no connection became ready.
     */
    static <T> T settle(Connected<T> r, String name, Object why, java.util.function.Consumer<String> untested) {
        return switch (r) {
            case Connected.Used<T> u -> {
                if (u.value() == null) untested.accept(name + ": " + why);
                yield u.value();
            }
            case Connected.NotReached<T> n -> {
                untested.accept(name + ": " + n.outcome().detail());
                yield null;
            }
            case Connected.NoSlot<T> n -> {
                untested.accept(name + ": " + n.reason());
                yield null;
            }
        };
    }

    Attempt send(ClientHello hello) {
        Connected<ServerReply> r;
        try {
            r = connect((c, deadline) -> {
                try {
                    c.socket().getOutputStream().write(ClientHelloWriter.record(hello));
                    c.socket().getOutputStream().flush();
                } catch (IOException e) {
                    return new ServerReply.Refused("connection closed before the hello was sent: " + e.getMessage());
                }
                return ServerFlightReader.read(c.in());
            });
        } catch (java.io.UncheckedIOException e) {
            return new Attempt.Reached(new ServerReply.Failed("I/O error: " + e.getCause().getMessage()));
        }
        return switch (r) {
            case Connected.Used<ServerReply> u -> new Attempt.Reached(u.value());
            case Connected.NotReached<ServerReply> n -> new Attempt.NotReached(n.outcome());
            case Connected.NoSlot<ServerReply> s -> new Attempt.Reached(new ServerReply.Failed(s.reason()));
        };
    }

    /** Convenience: the reply, with "TLS never started" folded into Failed. */
    ServerReply reply(ClientHello hello) {
        return switch (send(hello)) {
            case Attempt.Reached r -> r.reply();
            case Attempt.NotReached n -> new ServerReply.Failed(n.outcome().status() + ": " + n.outcome().detail());
        };
    }
}
